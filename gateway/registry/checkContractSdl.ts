import { composeServices } from '@apollo/composition';
import { CriticalityLevel, diff } from '@graphql-inspector/core';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type DocumentNode } from 'graphql';
import { CONTRACT_NAMES, loadContract, type ContractName } from '../../contracts/loadContract';

export type ContractSdlVerdict = { readonly kind: 'satisfied' } | { readonly kind: 'unsatisfied'; readonly problems: readonly string[] };

/**
 * Whether a source's `_service { sdl }` satisfies the contract it claims (docs/architecture.md §5):
 * 1. it composes, in the contract's place, with the other contracts (Federation 2 composition;
 *    the composition errors are quoted), and
 * 2. it serves everything the contract declares, with compatible types: no change from the
 *    contract to the source's schema may be breaking for a client (GraphQL Inspector's
 *    criticality). A source may add fields; it may not drop, rename or retype one.
 */
export async function checkContractSdl(contract: ContractName, sdl: string): Promise<ContractSdlVerdict> {
  let typeDefs: DocumentNode;
  try {
    typeDefs = parse(sdl);
  } catch (error) {
    return { kind: 'unsatisfied', problems: [`the SDL does not parse: ${error instanceof Error ? error.message : String(error)}`] };
  }
  const composed = composeServices(
    CONTRACT_NAMES.map((name) => ({ name, url: `http://${name}.contract.invalid/graphql`, typeDefs: name === contract ? typeDefs : loadContract(name).typeDefs })),
  );
  if (composed.errors) {
    return { kind: 'unsatisfied', problems: composed.errors.map((e) => `composition: ${e.message}`) };
  }
  const breaking = await breakingChanges(loadContract(contract).typeDefs, typeDefs);
  return breaking.length === 0 ? { kind: 'satisfied' } : { kind: 'unsatisfied', problems: breaking };
}

/**
 * What a source's SDL drops, renames or retypes of what the contract declares (GraphQL Inspector's
 * breaking changes, `contract: …`); empty when it serves everything, possibly with more.
 */
export async function breakingChanges(contract: DocumentNode, source: DocumentNode): Promise<string[]> {
  let changes;
  try {
    changes = await diff(buildSubgraphSchema(contract), buildSubgraphSchema(source));
  } catch (error) {
    return [`the SDL is not a valid subgraph schema: ${error instanceof Error ? error.message : String(error)}`];
  }
  return changes.filter((c) => c.criticality.level === CriticalityLevel.Breaking).map((c) => `contract: ${c.message}`);
}
