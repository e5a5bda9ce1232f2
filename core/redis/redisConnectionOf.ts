import type { RedisConnectionConfig } from './RedisConnectionConfig';

/** A `redis://` URL is one server; anything else is already a connection config. */
export function redisConnectionOf(target: string | RedisConnectionConfig): RedisConnectionConfig {
  return typeof target === 'string' ? { mode: 'server', url: target } : target;
}

/** Where a connection points, for messages and logs (never a password). */
export function describeRedisConnection(config: RedisConnectionConfig): string {
  switch (config.mode) {
    case 'server': {
      const url = new URL(config.url);
      return `${url.hostname}:${url.port || '6379'}`;
    }
    case 'sentinel':
      return `master "${config.masterName}" via sentinels ${config.sentinels.map((n) => `${n.host}:${n.port}`).join(', ')}`;
    case 'cluster':
      return `cluster ${config.nodes.map((n) => `${n.host}:${n.port}`).join(', ')}`;
  }
}
