/**
 * A token bucket (RFC 2697's "token bucket" metering; the model behind GCRA too): `capacity`
 * tokens at most, refilled continuously at `refillPerSecond`. The capacity is the burst a caller
 * may spend at once; the refill rate is its sustained allowance.
 */
export interface RateLimit {
  readonly capacity: number;
  readonly refillPerSecond: number;
}

/** The answer of a limiter to one request. */
export interface RateDecision {
  readonly allowed: boolean;
  /** Whole tokens left in the bucket after this decision (a refusal takes nothing). */
  readonly remaining: number;
  /** When refused: how long until the bucket holds enough for this request; 0 when allowed. */
  readonly retryAfterMs: number;
}

/**
 * The rate-limit state port (docs/architecture.md §7): embedded (`InMemoryRateLimiter`, one process) or
 * shared by every gateway replica (`RedisRateLimiter`). Both make the same decisions.
 */
export interface RateLimiter {
  /**
   * Takes `cost` tokens from the bucket of `key` if it holds that many; otherwise takes nothing.
   * The limit travels with each call because it depends on who asks (their role), and the
   * shared implementation applies it atomically where the state lives.
   */
  consume(key: string, cost: number, limit: RateLimit): Promise<RateDecision>;
}

/** Throws on a limit no bucket can implement; for options checked at construction. */
export function assertValidRateLimit(limit: RateLimit, label = 'rate limit'): void {
  const problems: string[] = [];
  if (!Number.isInteger(limit.capacity) || limit.capacity < 1) problems.push(`capacity must be an integer ≥ 1, got ${String(limit.capacity)}`);
  if (!Number.isFinite(limit.refillPerSecond) || limit.refillPerSecond <= 0) {
    problems.push(`refillPerSecond must be a finite number > 0, got ${String(limit.refillPerSecond)}`);
  }
  if (problems.length > 0) throw new Error(`Invalid ${label}: ${problems.join('; ')}`);
}

/** Throws on a cost a bucket of this limit could never grant (a caller bug, not a refusal). */
export function assertValidCost(cost: number, limit: RateLimit): void {
  if (!Number.isFinite(cost) || cost <= 0 || cost > limit.capacity) {
    throw new RangeError(`rate-limit cost must be > 0 and at most the capacity ${limit.capacity}, got ${String(cost)}`);
  }
}
