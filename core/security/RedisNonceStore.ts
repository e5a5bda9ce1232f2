import type { RedisConnection } from '../redis/createRedisConnection';
import type { NonceStore, ReplayVerdict } from './ReplayGuard';

/**
 * The replay guard shared by the replicas of one source (docs/architecture.md §7): each accepted
 * nonce is a Redis key set only if absent (`SET NX`), expiring when its timestamp leaves the
 * signature window, so Redis holds no more than the requests of one window. When Redis does not
 * answer, the request is refused (`at-capacity`: "retry shortly"), never let through unchecked.
 */
export class RedisNonceStore implements NonceStore {
  constructor(
    private readonly redis: RedisConnection,
    /** e.g. `patient-graph:nonce:79002:` — one namespace per source. */
    private readonly keyPrefix: string,
    private readonly windowMs: number,
  ) {
    if (!Number.isFinite(windowMs) || windowMs <= 0) throw new Error('RedisNonceStore: windowMs must be a positive number of milliseconds');
  }

  async check(nonce: string, timestampMs: number, nowMs: number): Promise<ReplayVerdict> {
    const ttlMs = Math.max(1, Math.ceil(timestampMs + this.windowMs - nowMs) + 1);
    try {
      const set = await this.redis.set(`${this.keyPrefix}${nonce}`, '1', 'PX', ttlMs, 'NX');
      return set === 'OK' ? 'fresh' : 'replayed';
    } catch {
      return 'at-capacity';
    }
  }
}
