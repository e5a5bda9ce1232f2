import type { CliCommand } from '../CliCommand';
import { auditLogTargetOf, defineAuditLogOptions } from './auditLogOptions';

/**
 * `patient-graph audit verify`: checks the hash chain of an audit log and names the first record
 * that cannot be trusted. Exit 0 when intact, 1 when broken, so it can run from cron or CI.
 */
export const auditVerifyCommand: CliCommand = {
  path: ['audit', 'verify'],
  summary: 'check the hash chain of the audit log; exit 1 naming the first broken record',
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
