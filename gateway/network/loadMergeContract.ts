import { buildSubgraphSchema } from '@apollo/subgraph';
import { loadContract } from '../../contracts/loadContract';
import { readMergeRules } from './mergeRules';
import type { ContractForMerging } from './prepareSourceOperation';

/** The clinical contract as the network data source needs it: its subgraph schema and merge rules. */
export function loadMergeContract(): ContractForMerging {
  const { typeDefs } = loadContract('clinical');
  return {
    schema: buildSubgraphSchema({ typeDefs }),
    rules: readMergeRules(typeDefs, ['Patient']),
    entityTypeName: 'Patient',
    entityKeyField: 'nationalId',
  };
}
