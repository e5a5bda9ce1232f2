import type { RedisConnection } from '../../core/redis/createRedisConnection';
import { guardAccessState } from './accessStateUnavailable';
import type { BreakTheGlassGrant, GrantStore } from './GrantStore';

/**
 * Grants in Redis with their own expiry (SET … PX), shared by every gateway replica. While Redis
 * fails, every call rejects with ACCESS_STATE_UNAVAILABLE (503): no grant is assumed or created.
 */
export class RedisGrantStore implements GrantStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix = 'patient-graph:grant:',
  ) {}

  async create(grant: BreakTheGlassGrant): Promise<void> {
    const ttlMs = Date.parse(grant.expiresAt) - Date.now();
    if (ttlMs <= 0) return;
    await guardAccessState(() => this.redis.set(this.keyOf(grant.sub, grant.nationalId), JSON.stringify(grant), 'PX', ttlMs));
  }

  async activeFor(sub: string, nationalIds: readonly string[]): Promise<ReadonlySet<string>> {
    if (nationalIds.length === 0) return new Set();
    const values = await guardAccessState(() => this.redis.mget(...nationalIds.map((id) => this.keyOf(sub, id))));
    return new Set(nationalIds.filter((_id, index) => values[index] !== null));
  }

  private keyOf(sub: string, nationalId: string): string {
    return `${this.prefix}${encodeURIComponent(sub)}:${nationalId}`;
  }
}
