import { join } from 'node:path';
import type { GatewayAuditConfig, GatewayStateConfig } from '../config/parseGatewayConfig';
import type { AuditLog } from './AuditLog';
import { FileAuditLog } from './FileAuditLog';
import { PostgresAuditLog } from './PostgresAuditLog';
import { RedisAuditLog } from './RedisAuditLog';

/**
 * The audit log a gateway config names, opened for appending by a command that runs beside the
 * gateway (`identity sync`): PostgreSQL when `audit.store` is set, else the state's own — the
 * Redis stream replicas share, or the embedded file `<state dir>/audit.jsonl`. The file has one
 * writer at a time: run such a command while the embedded gateway is stopped, or use a shared store.
 */
export async function openConfiguredAuditLog(config: { readonly state: GatewayStateConfig; readonly audit?: GatewayAuditConfig }): Promise<AuditLog> {
  if (config.audit) {
    return PostgresAuditLog.connect({ url: config.audit.url, mode: 'append', ...(config.audit.tablePrefix === undefined ? {} : { tablePrefix: config.audit.tablePrefix }) });
  }
  if (config.state.kind === 'redis') return RedisAuditLog.connect({ url: config.state.connection, keyPrefix: `${config.state.keyPrefix}audit:` });
  return FileAuditLog.open(join(config.state.dir, 'audit.jsonl'));
}
