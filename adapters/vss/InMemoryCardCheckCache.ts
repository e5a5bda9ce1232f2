import { LRUCache } from 'lru-cache';
import type { CardCheckCache } from './CardCheckCache';
import type { CardCheckResult } from './CardCheckResult';

export interface InMemoryCardCheckCacheOptions {
  /** Least recently used entries are dropped beyond this many (default 10 000). */
  readonly maxEntries?: number;
  /** Clock in epoch ms (tests pass a fake one). */
  readonly now?: () => number;
}

/**
 * The embedded `CardCheckCache`: `lru-cache` with a per-entry time to live and a size bound
 * (docs/dependencies.md §2), so memory stays bounded however many cards are checked.
 */
export class InMemoryCardCheckCache implements CardCheckCache {
  private readonly entries: LRUCache<string, CardCheckResult>;

  constructor(options: InMemoryCardCheckCacheOptions = {}) {
    const maxEntries = options.maxEntries ?? 10_000;
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError('InMemoryCardCheckCache: maxEntries must be a positive integer');
    }
    this.entries = new LRUCache<string, CardCheckResult>({
      max: maxEntries,
      // A card's validity is what expires: read the clock on every access, never a cached one.
      ttlResolution: 0,
      ...(options.now ? { perf: { now: options.now } } : {}),
    });
  }

  async get(key: string): Promise<CardCheckResult | undefined> {
    return this.entries.get(key);
  }

  async set(key: string, value: CardCheckResult, ttlMs: number): Promise<void> {
    if (ttlMs <= 0) return;
    this.entries.set(key, value, { ttl: ttlMs });
  }

  async clear(): Promise<void> {
    this.entries.clear();
  }
}
