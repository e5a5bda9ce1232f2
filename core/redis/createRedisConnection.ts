import Redis, { Cluster } from 'ioredis';
import type { RedisConnectionConfig } from './RedisConnectionConfig';

/** A connection to a shared Redis, whichever its topology: every state store takes this type. */
export type RedisConnection = Redis | Cluster;

/** Per-connection behaviour; each user picks what suits it (fail fast, lazy connect…). */
export interface RedisConnectionOptions {
  readonly enableOfflineQueue?: boolean;
  readonly maxRetriesPerRequest?: number;
  readonly connectTimeout?: number;
  readonly commandTimeout?: number;
  readonly lazyConnect?: boolean;
  readonly autoResendUnfulfilledCommands?: boolean;
  /** Delay before reconnect attempt `attempt` (ms); with Cluster, of the whole cluster. */
  readonly retryStrategy?: (attempt: number) => number | null;
  readonly disconnectTimeout?: number;
}

/**
 * The one connection factory of every Redis user (registry, rate limiter, audit stream, consent
 * and grant stores, pub/sub, replay guard): one server, Sentinel (ioredis asks the sentinels for
 * the master and follows a failover) or Cluster (ioredis follows the slot map and redirections).
 */
export function createRedisConnection(config: RedisConnectionConfig, options: RedisConnectionOptions = {}): RedisConnection {
  switch (config.mode) {
    case 'server':
      return new Redis(config.url, options);
    case 'sentinel':
      return new Redis({
        ...options,
        sentinels: config.sentinels.map((n) => ({ host: n.host, port: n.port })),
        name: config.masterName,
        ...(config.password === undefined ? {} : { password: config.password, sentinelPassword: config.password }),
        ...(config.tls ? { tls: {}, enableTLSForSentinelMode: true } : {}),
      });
    case 'cluster':
      return new Cluster(
        config.nodes.map((n) => ({ host: n.host, port: n.port })),
        {
          enableOfflineQueue: options.enableOfflineQueue ?? true,
          lazyConnect: options.lazyConnect ?? false,
          ...(options.retryStrategy ? { clusterRetryStrategy: options.retryStrategy } : {}),
          redisOptions: {
            ...(options.autoResendUnfulfilledCommands === undefined ? {} : { autoResendUnfulfilledCommands: options.autoResendUnfulfilledCommands }),
            ...(options.disconnectTimeout === undefined ? {} : { disconnectTimeout: options.disconnectTimeout }),
            ...(options.maxRetriesPerRequest === undefined ? {} : { maxRetriesPerRequest: options.maxRetriesPerRequest }),
            ...(options.connectTimeout === undefined ? {} : { connectTimeout: options.connectTimeout }),
            ...(options.commandTimeout === undefined ? {} : { commandTimeout: options.commandTimeout }),
            ...(config.password === undefined ? {} : { password: config.password }),
            ...(config.tls ? { tls: {} } : {}),
          },
        },
      );
  }
}
