import { join } from 'node:path';
import { createRedisConnection } from '../../core/redis/createRedisConnection';
import type { RedisConnectionConfig } from '../../core/redis/RedisConnectionConfig';
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
import type { AuditCheckpointConfig, GatewayAuditConfig, GatewayStateConfig } from './parseGatewayConfig';
import { SignedCheckpointFile } from '../audit/SignedCheckpointFile';
import type { AuditCheckpointStore } from '../audit/AuditCheckpoint';
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
export async function openGatewayState(config: GatewayStateConfig, logger: Logger, auditConfig?: GatewayAuditConfig, checkpointConfig?: AuditCheckpointConfig): Promise<GatewayState> {
  // A signed checkpoint file per replica, about the store it checks (docs/audit.md).
  const checkpointFor = (log: string): AuditCheckpointStore | undefined =>
    checkpointConfig ? new SignedCheckpointFile({ ...checkpointConfig, log, logger }) : undefined;
  // The audit trail in PostgreSQL when configured apart (docs/audit.md), else with the state.
  const postgresCheckpoint = auditConfig ? checkpointFor(`postgres ${postgresLocation(auditConfig.url)} ${auditConfig.tablePrefix ?? 'patient_graph_audit_'}`) : undefined;
  const separateAudit = auditConfig
    ? await PostgresAuditLog.connect({
        url: auditConfig.url,
        logger,
        ...(auditConfig.tablePrefix === undefined ? {} : { tablePrefix: auditConfig.tablePrefix }),
        ...(postgresCheckpoint ? { checkpoint: postgresCheckpoint } : {}),
      })
    : undefined;
  switch (config.kind) {
    case 'embedded': {
      const file = join(config.dir, 'audit.jsonl');
      const checkpoint = checkpointFor(`file ${file}`);
      const audit = separateAudit ?? (await FileAuditLog.open(file, checkpoint ? { checkpoint } : {}));
      return {
        audit,
        consent: new FileConsentStore(join(config.dir, 'consent.json')),
        grants: new InMemoryGrantStore(),
        rateLimiter: new InMemoryRateLimiter(),
        close: () => audit.close(),
      };
    }
    case 'redis': {
      const checkpoint = checkpointFor(`redis ${redisLocation(config.connection)} ${config.keyPrefix}audit:`);
      const audit = separateAudit ?? (await RedisAuditLog.connect({ url: config.connection, keyPrefix: `${config.keyPrefix}audit:`, logger, ...(checkpoint ? { checkpoint } : {}) }));
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

/** Host, port and database of a Redis URL, without credentials: what a checkpoint names. */
function redisLocation(connection: RedisConnectionConfig): string {
  switch (connection.mode) {
    case 'server': {
      const parsed = new URL(connection.url);
      return `${parsed.hostname}:${parsed.port || '6379'}${parsed.pathname === '' ? '/0' : parsed.pathname}`;
    }
    case 'sentinel':
      return `sentinel:${connection.masterName}`;
    case 'cluster':
      return `cluster:${connection.nodes.map((node) => `${node.host}:${node.port}`).sort().join(',')}`;
  }
}

/** Host, port and database of a PostgreSQL URL, without credentials. */
function postgresLocation(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
}
