import { userInfo } from 'node:os';
import { stringOption, UsageError, type CliCommand } from '../CliCommand';
import { auditLogTargetOf, defineAuditLogOptions, describeAuditLogTarget } from './auditLogOptions';

/**
 * `patient-graph audit acknowledge-gap --reason <text>`: after a gateway noticed lost audit records
 * (and from then on refused data with AUDIT_UNAVAILABLE), an operator writes the loss into the
 * chain as its own record, naming themselves and why; then the gateways serve again. The gap stays
 * visible: `audit verify` lists it and exits 1 (docs/audit.md). Exit 1 when no loss is pending.
 */
export const auditAcknowledgeGapCommand: CliCommand = {
  path: ['audit', 'acknowledge-gap'],
  summary: 'record lost audit records as a chained gap record, so the gateways serve again',
  define(command) {
    command
      .requiredOption('--reason <text>', 'what happened: 10 to 500 letters or digits')
      .option('--operator <name>', 'who acknowledges the gap (default: the login name)');
    defineAuditLogOptions(command);
  },
  async run(input, io) {
    const { parseStatedReason } = await import('../../gateway/audit/parseStatedReason');
    const rawReason = stringOption(input, 'reason');
    if (rawReason === undefined) throw new UsageError('--reason is required: say what happened (10 to 500 letters or digits)');
    const reason = parseStatedReason(rawReason, 'reason');
    if (reason.kind === 'invalid') throw new UsageError(reason.problem);
    const operator = stringOption(input, 'operator');
    if (operator !== undefined && !/^[^\u0000-\u001f\u007f]{1,256}$/.test(operator)) throw new UsageError('--operator must be 1 to 256 printable characters');
    const target = await auditLogTargetOf(input);
    const { openAuditLog } = await import('../../gateway/audit/openAuditLog');
    const log = await openAuditLog(target, 'read');
    try {
      if (!log.acknowledgeGap) {
        io.err(`patient-graph audit acknowledge-gap: ${describeAuditLogTarget(target)} does not track lost records`);
        return 1;
      }
      const record = await log.acknowledgeGap({ operator: operator ?? operatorName(), reason: reason.reason });
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
