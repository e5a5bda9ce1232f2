import type { Logger } from '../../core/logging/logger';
import type { AuditLog } from './AuditLog';
import { FileAuditLog } from './FileAuditLog';
import { RedisAuditLog } from './RedisAuditLog';
import { PostgresAuditLog } from './PostgresAuditLog';

/** Which audit log: the embedded file, the Redis stream or the PostgreSQL tables replicas share (docs/architecture.md §7). */
export type AuditLogTarget =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'redis'; readonly url: string; readonly keyPrefix: string }
  | { readonly kind: 'postgres'; readonly url: string; readonly tablePrefix?: string };

/**
 * Opens the audit log a target names. `append` opens it for writing (a file is created when
 * missing, and refused when its chain is broken); `read` opens an existing log to read and verify.
 */
export async function openAuditLog(target: AuditLogTarget, mode: 'append' | 'read', logger?: Logger): Promise<AuditLog> {
  switch (target.kind) {
    case 'file':
      return mode === 'append' ? FileAuditLog.open(target.path) : FileAuditLog.openReadOnly(target.path);
    case 'redis':
      return RedisAuditLog.connect({ url: target.url, keyPrefix: target.keyPrefix, ...(logger ? { logger } : {}) });
    case 'postgres':
      return PostgresAuditLog.connect({ url: target.url, mode, ...(target.tablePrefix === undefined ? {} : { tablePrefix: target.tablePrefix }) });
  }
}
