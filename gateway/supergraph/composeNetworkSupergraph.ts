import { composeServices } from '@apollo/composition';
import { parse, type DocumentNode } from 'graphql';
import { loadContract } from '../../contracts/loadContract';
import type { ContractEndpoint } from './composeSupergraph';

/** A registered contract as composition sees it: a name, where it is served and its SDL. */
export interface ExtraSubgraph {
  readonly name: string;
  readonly url: string;
  readonly sdl: string;
}

export type NetworkComposition =
  | { readonly kind: 'composed'; readonly supergraphSdl: string }
  | { readonly kind: 'failed'; readonly errors: readonly string[] };

/**
 * Composes the shipped contracts with registered ones (Federation 2 composition in process,
 * docs/registry.md §7). Pure: the same inputs give the same supergraph on every replica. A
 * composition error is returned with every message quoted, never thrown.
 */
export function composeNetworkSupergraph(base: readonly ContractEndpoint[], extras: readonly ExtraSubgraph[]): NetworkComposition {
  let extraDefs: { name: string; url: string; typeDefs: DocumentNode }[];
  try {
    extraDefs = extras.map((e) => ({ name: e.name, url: e.url, typeDefs: parse(e.sdl) }));
  } catch (error) {
    return { kind: 'failed', errors: [`the SDL does not parse: ${error instanceof Error ? error.message : String(error)}`] };
  }
  const result = composeServices([...base.map(({ name, url }) => ({ name, url, typeDefs: loadContract(name).typeDefs })), ...extraDefs]);
  if (result.errors) return { kind: 'failed', errors: result.errors.map((e) => e.message) };
  return { kind: 'composed', supergraphSdl: result.supergraphSdl };
}

/**
 * Composes every registered contract that composes, in registration order: one that conflicts with
 * those before it is left out (and named), so a conflict that slipped past registration (two
 * replicas registering at once) costs only its own contract, never the running supergraph.
 */
export function composeWithEveryContract(base: readonly ContractEndpoint[], extras: readonly ExtraSubgraph[]): { readonly supergraphSdl: string; readonly included: readonly ExtraSubgraph[]; readonly leftOut: ReadonlyMap<string, readonly string[]> } {
  const all = composeNetworkSupergraph(base, extras);
  if (all.kind === 'composed') return { supergraphSdl: all.supergraphSdl, included: extras, leftOut: new Map() };
  const included: ExtraSubgraph[] = [];
  const leftOut = new Map<string, readonly string[]>();
  let supergraphSdl = composeOrThrow(base, []);
  for (const extra of extras) {
    const attempt = composeNetworkSupergraph(base, [...included, extra]);
    if (attempt.kind === 'failed') {
      leftOut.set(extra.name, attempt.errors);
      continue;
    }
    included.push(extra);
    supergraphSdl = attempt.supergraphSdl;
  }
  return { supergraphSdl, included, leftOut };
}

function composeOrThrow(base: readonly ContractEndpoint[], extras: readonly ExtraSubgraph[]): string {
  const composed = composeNetworkSupergraph(base, extras);
  if (composed.kind === 'failed') throw new Error(`contracts do not compose:\n${composed.errors.map((e) => `- ${e}`).join('\n')}`);
  return composed.supergraphSdl;
}
