import type { RedisConnection } from '../../core/redis/createRedisConnection';
import type { ConsentDirectives } from '../../core/consent/ConsentDirectives';
import { guardAccessState } from './accessStateUnavailable';
import type { ConsentStore } from './ConsentStore';

/**
 * Consent directives in Redis, one key per patient, shared by every gateway replica. While Redis
 * fails, every call rejects with ACCESS_STATE_UNAVAILABLE (503): no read goes on without consent.
 */
export class RedisConsentStore implements ConsentStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix = 'patient-graph:consent:',
  ) {}

  async getMany(nationalIds: readonly string[]): Promise<ReadonlyMap<string, ConsentDirectives>> {
    const found = new Map<string, ConsentDirectives>();
    if (nationalIds.length === 0) return found;
    const values = await guardAccessState(() => this.redis.mget(...nationalIds.map((id) => this.prefix + id)));
    values.forEach((value, index) => {
      const id = nationalIds[index];
      if (value && id) found.set(id, JSON.parse(value) as ConsentDirectives);
    });
    return found;
  }

  async set(nationalId: string, directives: ConsentDirectives): Promise<void> {
    await guardAccessState(() => this.redis.set(this.prefix + nationalId, JSON.stringify(directives)));
  }
}
