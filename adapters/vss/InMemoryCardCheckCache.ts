import type { CardCheckCache } from './CardCheckCache';
import type { CardCheckResult } from './CardCheckResult';

export interface InMemoryCardCheckCacheOptions {
  /** Oldest entries are dropped beyond this many (default 10 000). */
  readonly maxEntries?: number;
  /** Clock in epoch ms (tests pass a fake one). */
  readonly now?: () => number;
}

/** The embedded `CardCheckCache`: a Map with per-entry expiry and a size bound. */
export class InMemoryCardCheckCache implements CardCheckCache {
  private readonly entries = new Map<string, { value: CardCheckResult; expiresAt: number }>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: InMemoryCardCheckCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
    if (!Number.isInteger(this.maxEntries) || this.maxEntries < 1) {
      throw new RangeError('InMemoryCardCheckCache: maxEntries must be a positive integer');
    }
  }

  async get(key: string): Promise<CardCheckResult | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  async set(key: string, value: CardCheckResult, ttlMs: number): Promise<void> {
    if (ttlMs <= 0) return;
    this.entries.delete(key); // re-insert at the end: Map order is the eviction order
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  async clear(): Promise<void> {
    this.entries.clear();
  }
}
