import { composeServices } from '@apollo/composition';
import { CONTRACT_NAMES, loadContract, type ContractName } from '../../contracts/loadContract';

export interface ContractEndpoint {
  readonly name: ContractName;
  /** Where the gateway sends this contract's fetches; for `clinical` the network data source intercepts it. */
  readonly url: string;
}

/**
 * Composes the supergraph from the contracts (Federation 2 composition in process). Throws
 * with every composition error when the contracts do not compose.
 */
export function composeSupergraph(endpoints: readonly ContractEndpoint[] = defaultEndpoints()): string {
  const result = composeServices(
    endpoints.map(({ name, url }) => ({ name, url, typeDefs: loadContract(name).typeDefs })),
  );
  if (result.errors) {
    throw new Error(`contracts do not compose:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  }
  return result.supergraphSdl;
}

/** Placeholder URLs: only the supergraph's shape matters when it is printed or inspected. */
function defaultEndpoints(): ContractEndpoint[] {
  return CONTRACT_NAMES.map((name) => ({ name, url: `http://${name}.contract.invalid/graphql` }));
}
