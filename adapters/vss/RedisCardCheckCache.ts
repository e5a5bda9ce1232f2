import type Redis from 'ioredis';
import type { CardCheckCache } from './CardCheckCache';
import type { CardCheckResult } from './CardCheckResult';

/**
 * Card checks shared by every replica in Redis, each with its own expiry (SET … PX). Keys are the
 * client's opaque hashes; values hold card facts, so this Redis is protected like the gateway's
 * other health-data stores. Errors propagate: VssClient treats a cache outage as a miss.
 */
export class RedisCardCheckCache implements CardCheckCache {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'patient-graph:vss-card:',
  ) {}

  async get(key: string): Promise<CardCheckResult | undefined> {
    const value = await this.redis.get(this.prefix + key);
    return value === null ? undefined : (JSON.parse(value) as CardCheckResult);
  }

  async set(key: string, value: CardCheckResult, ttlMs: number): Promise<void> {
    if (ttlMs <= 0) return;
    await this.redis.set(this.prefix + key, JSON.stringify(value), 'PX', Math.ceil(ttlMs));
  }

  async clear(): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await this.redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
}
