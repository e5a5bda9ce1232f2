import type { ConfigReader } from '../../core/config/ConfigReader';
import { parseNationalId } from '../../core/identifiers/nationalId';
import type { VssClientOptions } from './VssClient';

/** The `vss:` section of a service config: where VSS is and whose account looks cards up. */
export type VssConfig = Omit<VssClientOptions, 'logger' | 'cache'> & {
  /** Share card checks between replicas in this Redis (default: an in-memory cache per process). */
  readonly cacheRedisUrl: string | null;
};

/** Validates a `vss:` section (`baseUrl`, `username`, `password`, `officer { name, nationalId }`, timeouts). */
export function parseVssConfig(vss: ConfigReader): VssConfig {
  vss.rejectUnknownKeys(['baseUrl', 'username', 'password', 'officer', 'timeoutMs', 'cacheTtlMs', 'maxConcurrent', 'maxRequestsPerSecond', 'cacheRedisUrl']);
  const officer = vss.object('officer');
  officer.rejectUnknownKeys(['name', 'nationalId']);
  const officerId = officer.string('nationalId', { pattern: /^\d{12}$/, patternHint: 'the look-up officer’s 12-digit CCCD (cccdCb), quoted' });
  if (parseNationalId(officerId).kind === 'invalid') officer.fail('nationalId', 'expected a valid 12-digit CCCD');
  return {
    baseUrl: vss.string('baseUrl', { pattern: /^https?:\/\//, patternHint: 'the VSS web-service base URL, e.g. https://egw.baohiemxahoi.gov.vn' }),
    username: vss.string('username'),
    password: vss.string('password'),
    officer: { name: officer.string('name'), nationalId: officerId },
    timeoutMs: vss.integer('timeoutMs', { min: 100, max: 60_000, default: 5_000 }),
    cacheTtlMs: vss.integer('cacheTtlMs', { min: 0, max: 86_400_000, default: 600_000 }),
    maxConcurrent: vss.integer('maxConcurrent', { min: 1, max: 64, default: 4 }),
    maxRequestsPerSecond: vss.number('maxRequestsPerSecond', { min: 0.1, max: 1000, default: 10 }),
    cacheRedisUrl: vss.optionalString('cacheRedisUrl', { pattern: /^rediss?:\/\//, patternHint: 'a redis:// or rediss:// URL' }) ?? null,
  };
}
