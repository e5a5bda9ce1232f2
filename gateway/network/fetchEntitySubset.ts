import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GraphQLFormattedError } from 'graphql';

/**
 * Sends an entity fetch with the representations at `withheld` left out, and answers for every
 * representation: `null` at each withheld position (with `errors` about them), the source's
 * entities at the others, and the source's errors mapped back to the original positions (it
 * numbered them within the subset it received, docs/architecture.md §3).
 */
export async function fetchEntitySubset(
  inner: GraphQLDataSource,
  options: GraphQLDataSourceProcessOptions,
  representations: readonly unknown[],
  withheld: ReadonlySet<number>,
  errors: readonly GraphQLFormattedError[],
): Promise<GatewayGraphQLResponse> {
  const kept = representations.map((_r, index) => index).filter((index) => !withheld.has(index));
  if (kept.length === 0) return { data: { _entities: representations.map(() => null) }, errors: [...errors] };
  const answer = await inner.process({
    ...options,
    request: { ...options.request, variables: { ...options.request.variables, representations: kept.map((index) => representations[index]) } },
  });
  const received = (answer.data as { _entities?: unknown[] } | null | undefined)?._entities;
  const entities: unknown[] = representations.map(() => null);
  kept.forEach((original, sent) => {
    entities[original] = received?.[sent] ?? null;
  });
  const remapped = (answer.errors ?? []).map((error) => {
    const path = error.path;
    if (path?.[0] !== '_entities' || typeof path[1] !== 'number') return error;
    return { ...error, path: ['_entities', kept[path[1]] ?? path[1], ...path.slice(2)] };
  });
  return { data: { _entities: entities }, errors: [...errors, ...remapped] };
}
