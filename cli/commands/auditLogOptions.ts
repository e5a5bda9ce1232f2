import type { Command } from 'commander';
import type { AuditLogTarget } from '../../gateway/audit/openAuditLog';
import { stringOption, UsageError, type CliInput } from '../CliCommand';

/**
 * Declares the options that name an audit log, shared by the `audit` commands. The defaults named
 * here are the gateway's (FileAuditLog, RedisAuditLog; test/e2e/cliHelp.test.ts keeps them equal):
 * the gateway's modules are loaded only when a command runs, so `--help` starts fast.
 */
export function defineAuditLogOptions(command: Command): void {
  command
    .option('--file <path>', "the embedded gateway's audit file, JSON lines (default .patient-graph/audit.jsonl)")
    .option('--redis <url>', 'the audit stream on Redis instead of a file, e.g. redis://127.0.0.1:6379')
    .option('--postgres <url>', 'the audit table on PostgreSQL instead of a file, e.g. postgres://127.0.0.1:5432/audit')
    .option('--prefix <prefix>', 'with --redis: key prefix of the audit stream (default patient-graph:audit:); with --postgres: table prefix (default patient_graph_audit_)');
}

/** The audit log `--file` or `--redis`/`--prefix` name; the embedded gateway's file by default. */
export async function auditLogTargetOf(input: CliInput): Promise<AuditLogTarget> {
  const redis = stringOption(input, 'redis');
  const prefix = stringOption(input, 'prefix');
  const file = stringOption(input, 'file');
  const postgres = stringOption(input, 'postgres');
  if (redis !== undefined && file !== undefined) throw new UsageError('give either --file or --redis, not both');
  if (postgres !== undefined && (file !== undefined || redis !== undefined)) throw new UsageError('give one of --file, --redis and --postgres');
  if (postgres !== undefined) return { kind: 'postgres', url: postgres, ...(prefix !== undefined ? { tablePrefix: prefix } : {}) };
  if (prefix !== undefined && redis === undefined) throw new UsageError('--prefix goes with --redis or --postgres');
  if (redis !== undefined) {
    const { DEFAULT_REDIS_AUDIT_PREFIX } = await import('../../gateway/audit/RedisAuditLog');
    return { kind: 'redis', url: redis, keyPrefix: prefix ?? DEFAULT_REDIS_AUDIT_PREFIX };
  }
  const { DEFAULT_AUDIT_FILE } = await import('../../gateway/audit/FileAuditLog');
  return { kind: 'file', path: file ?? DEFAULT_AUDIT_FILE };
}

/** The place an audit log target names, for messages (no credentials of a Redis URL). */
export function describeAuditLogTarget(target: AuditLogTarget): string {
  switch (target.kind) {
    case 'file':
      return `the file ${target.path}`;
    case 'redis': {
      const url = new URL(target.url);
      return `redis://${url.host}${url.pathname} with key prefix ${target.keyPrefix}`;
    }
    case 'postgres': {
      const url = new URL(target.url);
      return `postgres://${url.host}${url.pathname} with table prefix ${target.tablePrefix ?? 'patient_graph_audit_'}`;
    }
  }
}
