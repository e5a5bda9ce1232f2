import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../../core/logging/logger';
import { CircuitBreaker } from './CircuitBreaker';
import { InMemoryRateLimiter } from './InMemoryRateLimiter';
import { assertValidCost, assertValidRateLimit, type RateDecision, type RateLimit, type RateLimiter } from './RateLimiter';

/**
 * GCRA (the Generic Cell Rate Algorithm of ITU-T I.371, "virtual scheduling" form), which makes
 * exactly the decisions of a token bucket while storing one number per key: the theoretical
 * arrival time (TAT) at which the bucket is full again. With emission interval I = 1000 /
 * refillPerSecond ms, a request of `cost` is allowed iff max(TAT, now) + cost·I − now ≤ capacity·I.
 * The key expires when the bucket is full, so idle callers cost Redis nothing.
 *
 * One key per script call, so it runs unchanged on Redis Cluster. Time comes from Redis (`TIME`)
 * unless the caller passes it (tests): one clock for every replica, whatever their own clocks say.
 *
 * KEYS[1] bucket · ARGV cost, capacity, interval ms, now ms or "" → {allowed 0/1, remaining, retryAfterMs}
 */
const GCRA_SCRIPT = `
if redis.replicate_commands then redis.replicate_commands() end
local cost = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local interval = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
end
local tat = now
local stored = redis.call('GET', KEYS[1])
if stored then tat = math.max(tonumber(stored), now) end
local burst = capacity * interval
local new_tat = tat + cost * interval
if new_tat - now > burst + 1e-6 then
  return {0, math.floor((burst - (tat - now)) / interval + 1e-9), math.ceil(new_tat - now - burst)}
end
redis.call('SET', KEYS[1], string.format('%.3f', new_tat), 'PX', math.max(1, math.ceil(new_tat - now)))
return {1, math.floor((burst - (new_tat - now)) / interval + 1e-9), 0}
`;
const GCRA_SHA1 = createHash('sha1').update(GCRA_SCRIPT).digest('hex');

/** The two commands the limiter needs: an ioredis `Redis` or `Cluster` fits. */
export type RedisScriptClient = Pick<Redis, 'evalsha' | 'eval'>;

/**
 * What the limiter decides while Redis cannot be asked:
 * - `fallback` (default): the `fallback` limiter decides — by default an in-memory bucket per
 *   replica, so limits still hold per replica (up to N × the limit across N replicas).
 * - `refuse`: every request is refused with RATE_LIMITED until Redis answers again.
 */
export type RedisUnavailableMode = 'fallback' | 'refuse';

export interface RedisRateLimiterOptions {
  /**
   * Create it with `enableOfflineQueue: false` (and a small `connectTimeout`), so commands fail at
   * once while Redis is down instead of queueing until `timeoutMs`.
   */
  readonly redis: RedisScriptClient;
  /** Prefix of every key, e.g. `pg:rate:`; lets deployments and tests share one Redis. */
  readonly keyPrefix: string;
  readonly logger: Logger;
  readonly whenUnavailable?: RedisUnavailableMode;
  readonly fallback?: RateLimiter;
  /** Longest wait for Redis before a call counts as failed. Default 100 ms. */
  readonly timeoutMs?: number;
  /** After a failure, how long to decide locally before asking Redis again. Default 5 s. */
  readonly retryAfterFailureMs?: number;
  /** Clock in ms passed to the script instead of Redis `TIME`: for tests with a fake clock only. */
  readonly now?: () => number;
}

/**
 * Rate limiter shared by every gateway replica (docs/architecture.md §7): one atomic Lua script per request.
 *
 * When Redis is unreachable the default is to fail open to per-replica limits, with one warning
 * per outage (`rate_limiter.redis_unavailable`) and a note when it is back. Why: rate limits
 * protect the hospitals and deter bulk extraction, while authentication, policy, consent and audit
 * do not depend on this Redis; refusing every request would turn a cache outage into a clinical
 * outage (no clinician could open a record), and dropping limits altogether would remove the
 * protection. Deployments that prefer the opposite set `whenUnavailable: 'refuse'`.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: RedisScriptClient;
  private readonly keyPrefix: string;
  private readonly logger: Logger;
  private readonly mode: RedisUnavailableMode;
  private readonly fallback: RateLimiter;
  private readonly timeoutMs: number;
  private readonly retryAfterFailureMs: number;
  private readonly clock: (() => number) | undefined;
  private readonly breaker: CircuitBreaker;
  private unavailable = false;

  constructor(options: RedisRateLimiterOptions) {
    if (!options.keyPrefix || /\s/.test(options.keyPrefix)) throw new Error('RedisRateLimiter: keyPrefix must be a non-empty string without spaces, e.g. "pg:rate:"');
    const timeoutMs = options.timeoutMs ?? 100;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new Error(`RedisRateLimiter: timeoutMs must be > 0, got ${String(timeoutMs)}`);
    const retryAfterFailureMs = options.retryAfterFailureMs ?? 5_000;
    if (!Number.isFinite(retryAfterFailureMs) || retryAfterFailureMs < 0) {
      throw new Error(`RedisRateLimiter: retryAfterFailureMs must be ≥ 0, got ${String(retryAfterFailureMs)}`);
    }
    const mode = options.whenUnavailable ?? 'fallback';
    if (mode !== 'fallback' && mode !== 'refuse') throw new Error(`RedisRateLimiter: whenUnavailable must be "fallback" or "refuse", got ${String(mode)}`);
    this.redis = options.redis;
    this.keyPrefix = options.keyPrefix;
    this.logger = options.logger.child({ component: 'rate-limiter' });
    this.mode = mode;
    this.fallback = options.fallback ?? new InMemoryRateLimiter(options.now ? { now: options.now } : {});
    this.timeoutMs = timeoutMs;
    this.retryAfterFailureMs = retryAfterFailureMs;
    this.clock = options.now;
    this.breaker = new CircuitBreaker({ failureThreshold: 1, openMs: retryAfterFailureMs, ...(options.now ? { now: options.now } : {}) });
  }

  async consume(key: string, cost: number, limit: RateLimit): Promise<RateDecision> {
    assertValidRateLimit(limit);
    assertValidCost(cost, limit);
    if (!this.breaker.allowsCall()) return this.decideWithoutRedis(key, cost, limit);
    try {
      const decision = await this.runScript(key, cost, limit);
      this.breaker.recordSuccess();
      if (this.unavailable) {
        this.unavailable = false;
        this.logger.info('rate_limiter.redis_recovered');
      }
      return decision;
    } catch (error: unknown) {
      this.breaker.recordFailure();
      if (!this.unavailable) {
        this.unavailable = true;
        this.logger.warn('rate_limiter.redis_unavailable', {
          mode: this.mode,
          retryInMs: this.retryAfterFailureMs,
          message: error instanceof Error ? error.message : String(error),
        });
      }
      return this.decideWithoutRedis(key, cost, limit);
    }
  }

  private async decideWithoutRedis(key: string, cost: number, limit: RateLimit): Promise<RateDecision> {
    if (this.mode === 'refuse') return { allowed: false, remaining: 0, retryAfterMs: Math.max(1_000, this.retryAfterFailureMs) };
    return this.fallback.consume(key, cost, limit);
  }

  private async runScript(key: string, cost: number, limit: RateLimit): Promise<RateDecision> {
    const args = [cost, limit.capacity, 1000 / limit.refillPerSecond, this.clock ? this.clock() : ''] as const;
    const fullKey = `${this.keyPrefix}${key}`;
    const call = async (): Promise<unknown> => {
      try {
        return await this.redis.evalsha(GCRA_SHA1, 1, fullKey, ...args);
      } catch (error: unknown) {
        // First call on this Redis (or after SCRIPT FLUSH / failover): send the script itself.
        if (error instanceof Error && error.message.startsWith('NOSCRIPT')) return this.redis.eval(GCRA_SCRIPT, 1, fullKey, ...args);
        throw error;
      }
    };
    return toDecision(await withTimeout(call(), this.timeoutMs));
  }
}

function toDecision(reply: unknown): RateDecision {
  if (!Array.isArray(reply) || reply.length !== 3 || !reply.every((n) => typeof n === 'number')) {
    throw new Error(`unexpected reply from the rate-limit script: ${JSON.stringify(reply)}`);
  }
  const [allowed, remaining, retryAfterMs] = reply as [number, number, number];
  return { allowed: allowed === 1, remaining: Math.max(0, remaining), retryAfterMs };
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
