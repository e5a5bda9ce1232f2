import { userInfo } from 'node:os';
import { openAuditLog } from '../../gateway/audit/openAuditLog';
import { parseStatedReason } from '../../gateway/audit/parseStatedReason';
import { UsageError, type CliCommand } from '../CliCommand';
import { parseOptions } from '../parseOptions';
import { AUDIT_LOG_OPTIONS, AUDIT_LOG_USAGE, auditLogTargetOf, describeAuditLogTarget } from './auditVerifyCommand';

/**
 * `patient-graph audit acknowledge-gap --reason <text>`: after a gateway noticed lost audit records
 * (and from then on refused data with AUDIT_UNAVAILABLE), an operator writes the loss into the
 * chain as its own record, naming themselves and why; then the gateways serve again. The gap stays
 * visible: `audit verify` lists it and exits 1 (docs/audit.md). Exit 1 when no loss is pending.
 */
export const auditAcknowledgeGapCommand: CliCommand = {
  path: ['audit', 'acknowledge-gap'],
  summary: 'record lost audit records as a chained gap record, so the gateways serve again',
  usage: `patient-graph audit acknowledge-gap --reason <text> [--operator <name>] ${AUDIT_LOG_USAGE}`,
  async run(args, io) {
    const { flags, positional } = parseOptions(args, { values: [...AUDIT_LOG_OPTIONS, 'reason', 'operator'] });
    if (positional.length > 0) throw new UsageError(`unexpected argument ${positional[0]}`);
    const rawReason = flags.get('reason');
    if (typeof rawReason !== 'string') throw new UsageError('--reason is required: say what happened (10 to 500 letters or digits)');
    const reason = parseStatedReason(rawReason, 'reason');
    if (reason.kind === 'invalid') throw new UsageError(reason.problem);
    const operator = flags.get('operator');
    if (typeof operator === 'string' && !/^[^\u0000-\u001f\u007f]{1,256}$/.test(operator)) throw new UsageError('--operator must be 1 to 256 printable characters');
    const target = auditLogTargetOf(flags);
    const log = await openAuditLog(target, 'read');
    try {
      if (!log.acknowledgeGap) {
        io.err(`patient-graph audit acknowledge-gap: ${describeAuditLogTarget(target)} does not track lost records`);
        return 1;
      }
      const record = await log.acknowledgeGap({ operator: typeof operator === 'string' ? operator : operatorName(), reason: reason.reason });
      if (!record) {
        io.err(`patient-graph audit acknowledge-gap: no lost records are waiting for acknowledgement at ${describeAuditLogTarget(target)}`);
        return 1;
      }
      io.out(`gap recorded as audit record #${record.seq}: records after #${record.gap?.found.seq ?? '?'} up to #${record.gap?.expected.seq ?? '?'} were lost; the gateways serve again`);
      return 0;
    } finally {
      await log.close();
    }
  },
};

function operatorName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown-operator';
  }
}
