import type { Logger } from '../../core/logging/logger';
import type { AuditLog } from './AuditLog';
import { FileAuditLog } from './FileAuditLog';
import { RedisAuditLog } from './RedisAuditLog';

/** Which audit log: the embedded file, or the Redis stream replicas share (docs/architecture.md §7). */
export type AuditLogTarget =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'redis'; readonly url: string; readonly keyPrefix: string };

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
  }
}
