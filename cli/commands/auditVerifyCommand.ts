import type { CliCommand } from '../CliCommand';
import { auditLogTargetOf, defineAuditLogOptions, describeAuditLogTarget } from './auditLogOptions';

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
  define(command) {
    defineAuditLogOptions(command);
  },
  async run(input, io) {
    const target = await auditLogTargetOf(input);
    const { openAuditLog } = await import('../../gateway/audit/openAuditLog');
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
