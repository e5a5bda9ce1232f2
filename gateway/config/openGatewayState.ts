import { join } from 'node:path';
import { createRedisConnection } from '../../core/redis/createRedisConnection';
import type { Logger } from '../../core/logging/logger';
import type { AuditLog } from '../audit/AuditLog';
import { FileAuditLog } from '../audit/FileAuditLog';
import { RedisAuditLog } from '../audit/RedisAuditLog';
import { InMemoryRateLimiter } from '../limits/InMemoryRateLimiter';
import type { RateLimiter } from '../limits/RateLimiter';
import { RedisRateLimiter } from '../limits/RedisRateLimiter';
import type { ConsentStore } from '../state/ConsentStore';
import { FileConsentStore } from '../state/FileConsentStore';
import type { GrantStore } from '../state/GrantStore';
import { InMemoryGrantStore } from '../state/InMemoryGrantStore';
import { RedisConsentStore } from '../state/RedisConsentStore';
import { RedisGrantStore } from '../state/RedisGrantStore';
import type { GatewayAuditConfig, GatewayStateConfig } from './parseGatewayConfig';
import { PostgresAuditLog } from '../audit/PostgresAuditLog';

export interface GatewayState {
  readonly audit: AuditLog;
  readonly consent: ConsentStore;
  readonly grants: GrantStore;
  readonly rateLimiter: RateLimiter;
  close(): Promise<void>;
}

/**
 * Opens every piece of gateway state behind its port (docs/architecture.md §7): embedded (files and memory,
 * one replica) or Redis (shared by replicas: audit stream, consent, grants, rate limits).
 */
export async function openGatewayState(config: GatewayStateConfig, logger: Logger, auditConfig?: GatewayAuditConfig): Promise<GatewayState> {
  // The audit trail in PostgreSQL when configured apart (docs/audit.md), else with the state.
  const separateAudit = auditConfig
    ? await PostgresAuditLog.connect({ url: auditConfig.url, ...(auditConfig.tablePrefix === undefined ? {} : { tablePrefix: auditConfig.tablePrefix }) })
    : undefined;
  switch (config.kind) {
    case 'embedded': {
      const audit = separateAudit ?? (await FileAuditLog.open(join(config.dir, 'audit.jsonl')));
      return {
        audit,
        consent: new FileConsentStore(join(config.dir, 'consent.json')),
        grants: new InMemoryGrantStore(),
        rateLimiter: new InMemoryRateLimiter(),
        close: () => audit.close(),
      };
    }
    case 'redis': {
      const audit = separateAudit ?? (await RedisAuditLog.connect({ url: config.connection, keyPrefix: `${config.keyPrefix}audit:`, logger }));
      // Fail fast while Redis is down (no offline queue): consent and grants then fail the request
      // rather than wait; rate limits fall back to per-replica limits (gateway/limits).
      const redis = createRedisConnection(config.connection, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 1000, commandTimeout: 1000 });
      redis.on('error', (error: Error) => logger.warn('state.redis_error', { message: error.message }));
      return {
        audit,
        consent: new RedisConsentStore(redis, `${config.keyPrefix}consent:`),
        grants: new RedisGrantStore(redis, `${config.keyPrefix}grant:`),
        rateLimiter: new RedisRateLimiter({ redis, keyPrefix: `${config.keyPrefix}rate:`, logger }),
        close: async () => {
          await audit.close();
          redis.disconnect();
        },
      };
    }
  }
}
