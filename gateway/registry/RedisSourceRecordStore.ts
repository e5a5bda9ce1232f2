import { createRedisConnection, type RedisConnection } from '../../core/redis/createRedisConnection';
import type { RedisConnectionConfig } from '../../core/redis/RedisConnectionConfig';
import { redisConnectionOf } from '../../core/redis/redisConnectionOf';
import type { Logger } from '../../core/logging/logger';
import { parseSourceRecord } from './parseSourceRecord';
import type { SourceRecord } from './SourceRecord';
import type { SourceRecordStore } from './SourceRecordStore';

export interface RedisSourceRecordStoreOptions {
  /** Commands (HSETNX, HSET, HDEL, PUBLISH). */
  readonly redis: RedisConnection;
  /** A second connection in subscriber mode (Redis forbids commands on a subscribed connection). */
  readonly subscriber: RedisConnection;
  /** e.g. `patient-graph:registry:`; the hash is `<prefix>sources`, the channel `<prefix>changed`. */
  readonly keyPrefix: string;
  readonly logger: Logger;
}

/** Replace only an existing entry (HSET alone would re-create a record another replica removed). */
const REPLACE_SCRIPT = `if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) return 1 end return 0`;

/**
 * The shared registry for gateway replicas (docs/architecture.md §7): one Redis hash, code → record
 * JSON, and a pub/sub channel on which every change is announced so each replica reloads at once.
 * Pub/sub is fire-and-forget (a replica that is reconnecting misses messages), hence the periodic
 * reconcile in LiveSourceRegistry.
 */
export class RedisSourceRecordStore implements SourceRecordStore {
  private readonly hashKey: string;
  private readonly channel: string;
  private readonly listeners: (() => void)[] = [];
  private ownsConnections = false;

  private constructor(private readonly options: RedisSourceRecordStoreOptions) {
    this.hashKey = `${options.keyPrefix}sources`;
    this.channel = `${options.keyPrefix}changed`;
  }

  static async open(options: RedisSourceRecordStoreOptions): Promise<RedisSourceRecordStore> {
    const store = new RedisSourceRecordStore(options);
    options.subscriber.on('message', (channel: string) => {
      if (channel === store.channel) for (const listener of store.listeners) listener();
    });
    await options.subscriber.subscribe(store.channel);
    return store;
  }

  /**
   * Opens both connections from a URL and owns them (closed with the store). Commands fail fast
   * while Redis is down (no offline queue), so a registration is refused rather than left pending.
   */
  static async connect(options: { url: string | RedisConnectionConfig; keyPrefix: string; logger: Logger }): Promise<RedisSourceRecordStore> {
    const connection = (): RedisConnection => {
      const redis = createRedisConnection(redisConnectionOf(options.url), { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000, lazyConnect: true });
      redis.on('error', (error: Error) => options.logger.warn('registry.redis_error', { message: error.message }));
      return redis;
    };
    const redis = connection();
    const subscriber = connection();
    try {
      await Promise.all([redis.connect(), subscriber.connect()]);
      const store = await RedisSourceRecordStore.open({ redis, subscriber, keyPrefix: options.keyPrefix, logger: options.logger });
      store.ownsConnections = true;
      return store;
    } catch (error) {
      redis.disconnect();
      subscriber.disconnect();
      throw error;
    }
  }

  async list(): Promise<readonly SourceRecord[]> {
    const entries = await this.options.redis.hgetall(this.hashKey);
    const records: SourceRecord[] = [];
    for (const [code, json] of Object.entries(entries)) {
      const checked = parseSourceRecord(safeJson(json));
      if (checked.kind === 'invalid') {
        this.options.logger.error('registry.record_invalid', { facilityCode: code, reason: checked.reason });
        continue;
      }
      records.push(checked.record);
    }
    return records.sort((a, b) => (a.registeredAt === b.registeredAt ? compare(a.code, b.code) : compare(a.registeredAt, b.registeredAt)));
  }

  async create(record: SourceRecord): Promise<'created' | 'taken'> {
    const created = await this.options.redis.hsetnx(this.hashKey, record.code, JSON.stringify(record));
    if (created === 0) return 'taken';
    await this.announce();
    return 'created';
  }

  async replace(record: SourceRecord): Promise<'replaced' | 'missing'> {
    const replaced = await this.options.redis.eval(REPLACE_SCRIPT, 1, this.hashKey, record.code, JSON.stringify(record));
    if (replaced !== 1) return 'missing';
    await this.announce();
    return 'replaced';
  }

  async remove(code: string): Promise<'removed' | 'missing'> {
    const removed = await this.options.redis.hdel(this.hashKey, code);
    if (removed === 0) return 'missing';
    await this.announce();
    return 'removed';
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.options.redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.options.subscriber.status === 'ready') await this.options.subscriber.unsubscribe(this.channel).catch(() => undefined);
    if (this.ownsConnections) {
      // disconnect() also stops a reconnect loop (quit() would wait for a Redis that is gone).
      this.options.subscriber.disconnect();
      if (this.options.redis.status === 'ready') await this.options.redis.quit().catch(() => undefined);
      this.options.redis.disconnect();
    }
  }

  private async announce(): Promise<void> {
    await this.options.redis.publish(this.channel, String(Date.now()));
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
