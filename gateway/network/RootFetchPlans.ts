import type { Experimental_DidResolveQueryPlanCallback } from '@apollo/gateway';
import type { GraphQLSchema } from 'graphql';
import { LRUCache } from 'lru-cache';
import { firstRootFetch, type RootFetch } from './firstRootFetch';

type PlanResolved = Parameters<Experimental_DidResolveQueryPlanCallback>[0];

/**
 * The first root fetch to one subgraph (the patient index) of every operation the gateway has
 * planned, learned from Apollo Gateway's own plans (`experimental_didResolveQueryPlan`), by schema,
 * document hash and operation name like the gateway's plan store. The care-relationship step sends
 * that fetch ahead of the plan, so its answer decides the care relationship and is the answer the
 * plan reads (SingleSourceDataSource.prefetch): one call to the index per request, not two, and
 * both from the same answer. An operation planned for the first time is not known yet: it asks the
 * index the old way once. A new supergraph starts a new cache (a plan belongs to its schema).
 */
export class RootFetchPlans {
  private readonly bySchema = new WeakMap<GraphQLSchema, LRUCache<string, RootFetch | 'none'>>();

  constructor(
    private readonly serviceName: string,
    private readonly maxEntries = 1_000,
  ) {}

  /** The gateway's hook: called after every plan is resolved, before it runs. Synchronous, cheap. */
  readonly record = ({ queryPlan, requestContext }: PlanResolved): void => {
    const { schema, queryHash, request } = requestContext;
    if (!schema || !queryHash) return;
    const cache = this.cacheOf(schema);
    const key = keyOf(queryHash, request.operationName);
    if (!cache.has(key)) cache.set(key, firstRootFetch(queryPlan, this.serviceName) ?? 'none');
  };

  get(schema: GraphQLSchema, queryHash: string, operationName: string | null | undefined): RootFetch | null {
    const known = this.bySchema.get(schema)?.get(keyOf(queryHash, operationName));
    return known === undefined || known === 'none' ? null : known;
  }

  private cacheOf(schema: GraphQLSchema): LRUCache<string, RootFetch | 'none'> {
    let cache = this.bySchema.get(schema);
    if (!cache) {
      cache = new LRUCache({ max: this.maxEntries });
      this.bySchema.set(schema, cache);
    }
    return cache;
  }
}

function keyOf(queryHash: string, operationName: string | null | undefined): string {
  return `${queryHash}\n${operationName ?? ''}`;
}
