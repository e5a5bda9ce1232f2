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
    .option('--prefix <keyPrefix>', 'Redis key prefix of the audit stream, with --redis (default patient-graph:audit:)');
}

/** The audit log `--file` or `--redis`/`--prefix` name; the embedded gateway's file by default. */
export async function auditLogTargetOf(input: CliInput): Promise<AuditLogTarget> {
  const redis = stringOption(input, 'redis');
  const prefix = stringOption(input, 'prefix');
  const file = stringOption(input, 'file');
  if (redis !== undefined && file !== undefined) throw new UsageError('give either --file or --redis, not both');
  if (prefix !== undefined && redis === undefined) throw new UsageError('--prefix goes with --redis');
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
  }
}
