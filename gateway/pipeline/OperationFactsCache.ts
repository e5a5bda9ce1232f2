import type { GraphQLSchema } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { OperationFacts } from './OperationFacts';

/**
 * The facts of recently seen operations, by document text (its SHA-256, Apollo Server's
 * `queryHash`) and operation name, per schema: a new supergraph starts a new cache, so no fact
 * outlives the schema it was computed against. Clients repeat a handful of operations, so a small
 * LRU holds nearly all of them.
 */
export class OperationFactsCache {
  private readonly bySchema = new WeakMap<GraphQLSchema, LRUCache<string, OperationFacts>>();

  constructor(private readonly maxEntries = 1_000) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new Error(`OperationFactsCache: maxEntries must be a positive integer, got ${String(maxEntries)}`);
  }

  get(schema: GraphQLSchema, queryHash: string, operationName: string | null, compute: () => OperationFacts): OperationFacts {
    let cache = this.bySchema.get(schema);
    if (!cache) {
      cache = new LRUCache({ max: this.maxEntries });
      this.bySchema.set(schema, cache);
    }
    const key = `${queryHash}\n${operationName ?? ''}`;
    const known = cache.get(key);
    if (known) return known;
    const facts = compute();
    cache.set(key, facts);
    return facts;
  }
}
