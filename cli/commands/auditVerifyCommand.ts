import { DEFAULT_AUDIT_FILE } from '../../gateway/audit/FileAuditLog';
import { openAuditLog, type AuditLogTarget } from '../../gateway/audit/openAuditLog';
import { DEFAULT_REDIS_AUDIT_PREFIX } from '../../gateway/audit/RedisAuditLog';
import { UsageError, type CliCommand } from '../CliCommand';
import { parseOptions } from '../parseOptions';

/** The options that name an audit log, shared by the `audit` commands. */
export const AUDIT_LOG_OPTIONS = ['file', 'redis', 'prefix'] as const;
export const AUDIT_LOG_USAGE = `[--file <path> | --redis <url> [--prefix <keyPrefix>]]   (default: --file ${DEFAULT_AUDIT_FILE}; --prefix ${DEFAULT_REDIS_AUDIT_PREFIX})`;

/**
 * `patient-graph audit verify`: checks the hash chain of an audit log and names the first record
 * that cannot be trusted. Exit 0 when intact, 1 when broken, so it can run from cron or CI.
 */
export const auditVerifyCommand: CliCommand = {
  path: ['audit', 'verify'],
  summary: 'check the hash chain of the audit log; exit 1 naming the first broken record',
  usage: `patient-graph audit verify ${AUDIT_LOG_USAGE}`,
  async run(args, io) {
    const { flags, positional } = parseOptions(args, { values: AUDIT_LOG_OPTIONS });
    if (positional.length > 0) throw new UsageError(`unexpected argument ${positional[0]}`);
    const log = await openAuditLog(auditLogTargetOf(flags), 'read');
    try {
      const verdict = await log.verify();
      switch (verdict.kind) {
        case 'intact':
          io.out(`audit chain intact: ${verdict.count} records`);
          return 0;
        case 'broken':
          io.out(`audit chain broken at record #${verdict.seq}: ${verdict.reason}`);
          return 1;
      }
    } finally {
      await log.close();
    }
  },
};

/** The audit log `--file` or `--redis`/`--prefix` name; the embedded gateway's file by default. */
export function auditLogTargetOf(flags: ReadonlyMap<string, string | true>): AuditLogTarget {
  const file = flags.get('file');
  const redis = flags.get('redis');
  const prefix = flags.get('prefix');
  if (file !== undefined && redis !== undefined) throw new UsageError('give either --file or --redis, not both');
  if (prefix !== undefined && redis === undefined) throw new UsageError('--prefix goes with --redis');
  if (typeof redis === 'string') return { kind: 'redis', url: redis, keyPrefix: typeof prefix === 'string' ? prefix : DEFAULT_REDIS_AUDIT_PREFIX };
  return { kind: 'file', path: typeof file === 'string' ? file : DEFAULT_AUDIT_FILE };
}
