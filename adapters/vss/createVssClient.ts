import Redis from 'ioredis';
import type { Logger } from '../../core/logging/logger';
import type { VssConfig } from './parseVssConfig';
import { RedisCardCheckCache } from './RedisCardCheckCache';
import { VssClient } from './VssClient';

/** A VssClient from a service's `vss:` config, with its card cache in Redis when configured. */
export function createVssClient(config: VssConfig, logger: Logger): VssClient {
  const { cacheRedisUrl, ...options } = config;
  if (!cacheRedisUrl) return new VssClient({ ...options, logger });
  const redis = new Redis(cacheRedisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 1000, commandTimeout: 500 });
  redis.on('error', (error: Error) => logger.warn('vss.cache_redis_error', { message: error.message }));
  return new VssClient({ ...options, logger, cache: new RedisCardCheckCache(redis) });
}
