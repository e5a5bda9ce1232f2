import { buildSubgraphSchema } from '@apollo/subgraph';
import { Kind, type DocumentNode } from 'graphql';
import { loadContract } from '../../contracts/loadContract';
import { readMergeRules } from './mergeRules';
import type { ContractForMerging } from './prepareSourceOperation';

/** The clinical contract as the network data source needs it: its subgraph schema and merge rules. */
export function loadMergeContract(): ContractForMerging {
  return mergeContractOf(loadContract('clinical').typeDefs);
}

/**
 * Any contract served by many sources (clinical, or one a source brought, docs/registry.md §7) as
 * the network data source needs it: `Patient` keyed by `nationalId`, merged by its `@merge` rules.
 * Throws, listing every problem, when a field to merge has no rule.
 */
export function mergeContractOf(typeDefs: DocumentNode): ContractForMerging {
  return {
    schema: buildSubgraphSchema({ typeDefs }),
    rules: readMergeRules(withoutFederationFields(typeDefs), ['Patient']),
    entityTypeName: 'Patient',
    entityKeyField: 'nationalId',
  };
}

/** A source's `_service { sdl }` prints federation's own `Query._entities` and `Query._service`: the planner's, never merged. */
function withoutFederationFields(typeDefs: DocumentNode): DocumentNode {
  return {
    ...typeDefs,
    definitions: typeDefs.definitions.map((d) =>
      (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.OBJECT_TYPE_EXTENSION) && d.name.value === 'Query'
        ? { ...d, fields: (d.fields ?? []).filter((f) => f.name.value !== '_entities' && f.name.value !== '_service') }
        : d,
    ),
  };
}
