import { assertValidCost, assertValidRateLimit, type RateDecision, type RateLimit, type RateLimiter } from './RateLimiter';

export interface InMemoryRateLimiterOptions {
  /**
   * Most buckets kept (default 100,000 ≈ 10 MB). Beyond it the least recently used bucket is
   * dropped, which hands that caller a full bucket again: size it well above the number of
   * principals active within a refill period.
   */
  readonly maxKeys?: number;
  /** Clock in milliseconds (tests pass a fake one). */
  readonly now?: () => number;
}

interface Bucket {
  readonly tokens: number;
  readonly updatedAt: number;
  readonly capacity: number;
  readonly refillPerMs: number;
}

/** Absorbs floating-point drift in refills (0.1 token/s × 10 s must make a whole token). */
const EPSILON = 1e-9;

/**
 * Embedded token-bucket limiter (docs/architecture.md §7: what `npm start` uses; one process only).
 * Memory is bounded: buckets live in a Map kept in least-recently-used order; each call first
 * drops the idle buckets at the old end — a bucket that has refilled to capacity is the same as
 * no bucket — and `maxKeys` caps the rest.
 */
export class InMemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(options: InMemoryRateLimiterOptions = {}) {
    const maxKeys = options.maxKeys ?? 100_000;
    if (!Number.isInteger(maxKeys) || maxKeys < 1) throw new Error(`InMemoryRateLimiter: maxKeys must be an integer ≥ 1, got ${String(maxKeys)}`);
    this.maxKeys = maxKeys;
    this.now = options.now ?? Date.now;
  }

  async consume(key: string, cost: number, limit: RateLimit): Promise<RateDecision> {
    assertValidRateLimit(limit);
    assertValidCost(cost, limit);
    const now = this.now();
    this.evictIdle(now);
    const refillPerMs = limit.refillPerSecond / 1000;
    const previous = this.buckets.get(key);
    const available = previous ? Math.min(limit.capacity, previous.tokens + Math.max(0, now - previous.updatedAt) * refillPerMs) : limit.capacity;
    const allowed = available + EPSILON >= cost;
    const tokens = allowed ? Math.max(0, available - cost) : available;
    // Deleting before setting moves the key to the newest end of the Map's insertion order.
    this.buckets.delete(key);
    this.buckets.set(key, { tokens, updatedAt: now, capacity: limit.capacity, refillPerMs });
    for (const oldest of this.buckets.keys()) {
      if (this.buckets.size <= this.maxKeys) break;
      this.buckets.delete(oldest);
    }
    return {
      allowed,
      remaining: Math.floor(tokens + EPSILON),
      retryAfterMs: allowed ? 0 : Math.ceil((cost - available) / refillPerMs),
    };
  }

  /** Buckets currently held (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }

  private evictIdle(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.updatedAt) * bucket.refillPerMs + EPSILON < bucket.capacity) return;
      this.buckets.delete(key);
    }
  }
}
