import { createRedisConnection } from '../core/redis/createRedisConnection';
import type { Logger } from '../core/logging/logger';
import type { SigningExtras } from '../core/security/parseSigningExtras';
import { RedisNonceStore } from '../core/security/RedisNonceStore';
import { DEFAULT_MAX_SKEW_MS, type SubgraphSigning } from '../subgraphs/http/requireSignature';

/**
 * A served source's signing from its config: the secret, the one being rotated out, and the replay
 * guard shared by its replicas when `replayStore` names a Redis (one key namespace per target).
 */
export async function openSubgraphSigning(config: { readonly secret: string } & SigningExtras, target: string, logger: Logger): Promise<{ signing: SubgraphSigning; close: () => void }> {
  if (!config.replayStore) {
    return { signing: { secret: config.secret, target, ...(config.previousSecret ? { previousSecret: config.previousSecret } : {}) }, close: () => undefined };
  }
  // Connected before the source serves: until then every request would be refused as unchecked.
  const redis = createRedisConnection(config.replayStore.connection, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 1000, commandTimeout: 1000, lazyConnect: true });
  redis.on('error', (error: Error) => logger.warn('signing.replay_store_error', { message: error.message }));
  await redis.connect();
  return {
    signing: {
      secret: config.secret,
      target,
      ...(config.previousSecret ? { previousSecret: config.previousSecret } : {}),
      nonceStore: new RedisNonceStore(redis, `${config.replayStore.keyPrefix}${target}:`, DEFAULT_MAX_SKEW_MS),
    },
    close: () => redis.disconnect(),
  };
}
