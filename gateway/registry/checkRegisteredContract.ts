import { Kind, parse, type DocumentNode } from 'graphql';
import { CONTRACT_NAMES } from '../../contracts/loadContract';
import { assertEveryScalarValidated } from '../pipeline/gatewayScalars';
import { composeNetworkSupergraph } from '../supergraph/composeNetworkSupergraph';
import type { RegisteredContract } from '../supergraph/RegisteredContract';
import { registeredContractProblems } from '../network/registeredContractProblems';
import { breakingChanges } from './checkContractSdl';
import { failed, passed, type RegistrationCheck } from './RegistrationCheck';
import type { SourceRecord } from './SourceRecord';

/**
 * Whether a contract a source brings may join the supergraph (docs/registry.md §7): the gateway
 * validates every scalar it declares, the network data source can serve it (registeredContractProblems.ts:
 * `@merge` rules, nullable `Patient` fields), and its SDL composes with the shipped contracts and
 * every other registered contract (Federation 2 composition; the errors are quoted). Pure.
 */
export function checkRegisteredContract(candidate: SourceRecord & { readonly contractSdl: string }, composed: readonly RegisteredContract[]): RegistrationCheck {
  let typeDefs: DocumentNode;
  try {
    typeDefs = parse(candidate.contractSdl);
    assertEveryScalarValidated([withoutFederationDefinitions(typeDefs)]);
  } catch (error) {
    return failed('contract', error instanceof Error ? error.message : String(error));
  }
  const problems = registeredContractProblems(typeDefs);
  if (problems.length > 0) return failed('contract', problems.join('\n'));
  const composition = composesWithOthers(candidate, composed);
  if (composition) return composition;
  return passed('contract', `the ${candidate.contract} SDL composes with the supergraph`);
}

/**
 * Whether a source may join a contract other sources already brought (docs/registry.md §7): its
 * SDL, in the contract's place, composes with the supergraph, and it serves everything the
 * contract declares with compatible types (it may add fields, as a hospital may to `clinical`).
 */
export async function checkSourceOfRegisteredContract(
  candidate: SourceRecord & { readonly contractSdl: string },
  contract: RegisteredContract,
  composed: readonly RegisteredContract[],
): Promise<RegistrationCheck> {
  let typeDefs: DocumentNode;
  try {
    typeDefs = parse(candidate.contractSdl);
  } catch (error) {
    return failed('contract', `the SDL does not parse: ${error instanceof Error ? error.message : String(error)}`);
  }
  const composition = composesWithOthers(candidate, composed);
  if (composition) return composition;
  const breaking = await breakingChanges(parse(contract.sdl), typeDefs);
  if (breaking.length > 0) return failed('contract', breaking.join('\n'));
  return passed('contract', `the SDL satisfies the ${contract.name} contract of facility ${contract.sources[0]?.code ?? '?'}`);
}

/** The candidate's SDL composed, in its contract's place, with the shipped and the other registered contracts; a failed check, or undefined. */
function composesWithOthers(candidate: SourceRecord & { readonly contractSdl: string }, composed: readonly RegisteredContract[]): RegistrationCheck | undefined {
  const others = composed.filter((c) => c.name !== candidate.contract).map((c) => ({ name: c.name, url: `http://${c.name}.contract.invalid/graphql`, sdl: c.sdl }));
  const result = composeNetworkSupergraph(
    CONTRACT_NAMES.map((name) => ({ name, url: `http://${name}.contract.invalid/graphql` })),
    [...others, { name: candidate.contract, url: candidate.url, sdl: candidate.contractSdl }],
  );
  if (result.kind === 'failed') return failed('contract', result.errors.map((e) => `composition: ${e}`).join('\n'));
  return undefined;
}

/**
 * `_service { sdl }` also prints federation's own definitions (`_Any`, `federation__FieldSet`,
 * `link__Import`…): composition consumes them and they never reach the client schema.
 */
function withoutFederationDefinitions(typeDefs: DocumentNode): DocumentNode {
  return {
    ...typeDefs,
    definitions: typeDefs.definitions.filter((d) => !(d.kind === Kind.SCALAR_TYPE_DEFINITION && (d.name.value.startsWith('_') || d.name.value.includes('__') || d.name.value === 'FieldSet'))),
  };
}
