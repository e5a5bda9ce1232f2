import { Kind, parse, type DocumentNode } from 'graphql';
import { CONTRACT_NAMES } from '../../contracts/loadContract';
import { assertEveryScalarValidated } from '../pipeline/gatewayScalars';
import { composeNetworkSupergraph } from '../supergraph/composeNetworkSupergraph';
import type { RegisteredContract } from '../supergraph/RegisteredContract';
import { failed, passed, type RegistrationCheck } from './RegistrationCheck';
import type { SourceRecord } from './SourceRecord';

/**
 * Whether another source already serves a contract of that name: a contract a source brings has
 * one source (docs/registry.md §7). Checked before the source is called.
 */
export function checkContractHolder(candidate: SourceRecord, records: readonly SourceRecord[]): RegistrationCheck {
  const holder = records.find((r) => r.contract === candidate.contract && r.code !== candidate.code);
  if (holder) return failed('contract', `the "${candidate.contract}" contract is already served by facility ${holder.code}; a contract a source brings has one source`);
  return passed('contract-name', `no other source serves the ${candidate.contract} contract`);
}

/**
 * Whether a contract a source brings may join the supergraph (docs/registry.md §7): the gateway
 * validates every scalar it declares, and its SDL composes with the shipped contracts and every
 * other registered contract (Federation 2 composition; the errors are quoted). Pure.
 */
export function checkRegisteredContract(candidate: SourceRecord & { readonly contractSdl: string }, composed: readonly RegisteredContract[]): RegistrationCheck {
  let typeDefs: DocumentNode;
  try {
    typeDefs = parse(candidate.contractSdl);
    assertEveryScalarValidated([withoutFederationDefinitions(typeDefs)]);
  } catch (error) {
    return failed('contract', error instanceof Error ? error.message : String(error));
  }
  const others = composed.filter((c) => c.source.code !== candidate.code).map((c) => ({ name: c.name, url: c.source.url, sdl: c.sdl }));
  const result = composeNetworkSupergraph(
    CONTRACT_NAMES.map((name) => ({ name, url: `http://${name}.contract.invalid/graphql` })),
    [...others, { name: candidate.contract, url: candidate.url, sdl: candidate.contractSdl }],
  );
  if (result.kind === 'failed') return failed('contract', result.errors.map((e) => `composition: ${e}`).join('\n'));
  return passed('contract', `the ${candidate.contract} SDL composes with the supergraph`);
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
