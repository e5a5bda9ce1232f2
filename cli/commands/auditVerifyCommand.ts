import { DEFAULT_AUDIT_FILE } from '../../gateway/audit/FileAuditLog';
import { openAuditLog, type AuditLogTarget } from '../../gateway/audit/openAuditLog';
import { DEFAULT_REDIS_AUDIT_PREFIX } from '../../gateway/audit/RedisAuditLog';
import { UsageError, type CliCommand } from '../CliCommand';
import { parseOptions } from '../parseOptions';

/** The options that name an audit log, shared by the `audit` commands. */
export const AUDIT_LOG_OPTIONS = ['file', 'redis', 'prefix', 'postgres'] as const;
export const AUDIT_LOG_USAGE = `[--file <path> | --redis <url> [--prefix <keyPrefix>] | --postgres <url> [--prefix <tablePrefix>]]   (default: --file ${DEFAULT_AUDIT_FILE}; --prefix ${DEFAULT_REDIS_AUDIT_PREFIX})`;

/**
 * `patient-graph audit verify`: checks the hash chain of an audit log and names the first record
 * that cannot be trusted. Exit 0 only when the chain is intact, holds records and has lost none:
 * 1 when it is broken, when records were lost (each acknowledged gap is listed, and a loss not yet
 * acknowledged breaks the chain), and when the place named holds no records at all (a wrong
 * `--prefix` or `--file` must not look like a clean log). Runs from cron or CI.
 */
export const auditVerifyCommand: CliCommand = {
  path: ['audit', 'verify'],
  summary: 'check the hash chain of the audit log; exit 1 naming the first broken record, every gap, or an empty log',
  usage: `patient-graph audit verify ${AUDIT_LOG_USAGE}`,
  async run(args, io) {
    const { flags, positional } = parseOptions(args, { values: AUDIT_LOG_OPTIONS });
    if (positional.length > 0) throw new UsageError(`unexpected argument ${positional[0]}`);
    const target = auditLogTargetOf(flags);
    const log = await openAuditLog(target, 'read');
    try {
      const verdict = await log.verify();
      switch (verdict.kind) {
        case 'intact': {
          if (verdict.count === 0) {
            io.out(`no audit records at ${describeAuditLogTarget(target)}: nothing to verify (is the --file or --prefix right?)`);
            return 1;
          }
          const gaps = verdict.gaps ?? [];
          if (gaps.length === 0) {
            io.out(`audit chain intact: ${verdict.count} records`);
            return 0;
          }
          io.out(`audit chain links, but records were lost: ${verdict.count} records, ${gaps.length} acknowledged gap${gaps.length === 1 ? '' : 's'}`);
          for (const { seq, time, acknowledgedBy, gap } of gaps) {
            io.out(`  gap acknowledged at record #${seq} (${time}, by ${acknowledgedBy}): a gateway had written up to record #${gap.expected.seq}, the log held #${gap.found.seq}; reason: ${gap.reason}`);
          }
          return 1;
        }
        case 'broken':
          io.out(`audit chain broken at record #${verdict.seq}: ${verdict.reason}`);
          return 1;
      }
    } finally {
      await log.close();
    }
  },
};

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

/** The audit log `--file` or `--redis`/`--prefix` name; the embedded gateway's file by default. */
export function auditLogTargetOf(flags: ReadonlyMap<string, string | true>): AuditLogTarget {
  const file = flags.get('file');
  const redis = flags.get('redis');
  const prefix = flags.get('prefix');
  const postgres = flags.get('postgres');
  if (file !== undefined && redis !== undefined) throw new UsageError('give either --file or --redis, not both');
  if (postgres !== undefined && (file !== undefined || redis !== undefined)) throw new UsageError('give one of --file, --redis and --postgres');
  if (typeof postgres === 'string') return { kind: 'postgres', url: postgres, ...(typeof prefix === 'string' ? { tablePrefix: prefix } : {}) };
  if (prefix !== undefined && redis === undefined) throw new UsageError('--prefix goes with --redis');
  if (typeof redis === 'string') return { kind: 'redis', url: redis, keyPrefix: typeof prefix === 'string' ? prefix : DEFAULT_REDIS_AUDIT_PREFIX };
  return { kind: 'file', path: typeof file === 'string' ? file : DEFAULT_AUDIT_FILE };
}
