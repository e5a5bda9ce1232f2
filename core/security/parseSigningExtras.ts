import type { ConfigReader } from '../config/ConfigReader';
import type { RedisConnectionConfig } from '../redis/RedisConnectionConfig';
import { parseRedisConnection, REDIS_CONNECTION_KEYS } from '../redis/parseRedisConnection';
import { MIN_SECRET_BYTES } from './requestSignature';
import { shippedSecretProblem } from './shippedSecretProblem';

/** Optional parts of a source's `signing` section besides `secret`. */
export interface SigningExtras {
  /**
   * The secret being rotated out: accepted too until removed, so the gateway can switch to the new
   * `secret` without a refused request. Steps in docs/registry.md.
   */
  readonly previousSecret?: string;
  /** Redis shared by the replicas of this source for the replay guard (a nonce seen by one is refused by all). */
  readonly replayStore?: { readonly connection: RedisConnectionConfig; readonly keyPrefix: string };
}

/** Reads `signing.previousSecret` and `signing.replayStore` (the caller refuses unknown keys). */
export function parseSigningExtras(signing: ConfigReader, secret: string): SigningExtras {
  const previousSecret = signing.optionalString('previousSecret');
  if (previousSecret !== undefined) {
    if (Buffer.byteLength(previousSecret, 'utf8') < MIN_SECRET_BYTES) signing.fail('previousSecret', `expected at least ${MIN_SECRET_BYTES} bytes`);
    const shipped = shippedSecretProblem(previousSecret);
    if (shipped) signing.fail('previousSecret', `refused: ${shipped}`);
    if (previousSecret === secret) signing.fail('previousSecret', 'is the same as secret; during a rotation it holds the old secret');
  }
  const store = signing.optionalObject('replayStore');
  store?.rejectUnknownKeys([...REDIS_CONNECTION_KEYS, 'keyPrefix']);
  return {
    ...(previousSecret !== undefined ? { previousSecret } : {}),
    ...(store
      ? { replayStore: { connection: parseRedisConnection(store, undefined), keyPrefix: store.optionalString('keyPrefix') ?? 'patient-graph:nonce:' } }
      : {}),
  };
}
