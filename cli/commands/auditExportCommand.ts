import { parseNationalId } from '../../core/identifiers/nationalId';
import { openAuditLog } from '../../gateway/audit/openAuditLog';
import { toFhirAuditBundle } from '../../gateway/audit/toFhirAuditBundle';
import { UsageError, type CliCommand } from '../CliCommand';
import { parseOptions } from '../parseOptions';
import { AUDIT_LOG_OPTIONS, AUDIT_LOG_USAGE, auditLogTargetOf } from './auditVerifyCommand';

/**
 * `patient-graph audit export --format fhir`: the audit records as a FHIR R4 Bundle (type
 * collection) of AuditEvents on stdout, for a SIEM or an ATNA audit repository; `--patient`
 * keeps the records that touched one patient (the accounting of disclosures a patient may ask
 * for). It does not check the chain: run `audit verify` for that.
 */
export const auditExportCommand: CliCommand = {
  path: ['audit', 'export'],
  summary: 'print the audit records as a FHIR Bundle of AuditEvents',
  usage: `patient-graph audit export --format fhir [--patient <nationalId>] ${AUDIT_LOG_USAGE}`,
  async run(args, io) {
    const { flags, positional } = parseOptions(args, { values: [...AUDIT_LOG_OPTIONS, 'format', 'patient'] });
    if (positional.length > 0) throw new UsageError(`unexpected argument ${positional[0]}`);
    const format = flags.get('format');
    if (format !== 'fhir') throw new UsageError('--format fhir is the supported export format');
    const patient = flags.get('patient');
    if (patient !== undefined) {
      const check = parseNationalId(String(patient));
      if (check.kind === 'invalid') throw new UsageError(`--patient: ${check.reason}`);
    }
    const log = await openAuditLog(auditLogTargetOf(flags), 'read');
    try {
      const records = await log.read(typeof patient === 'string' ? { patient } : {});
      io.out(JSON.stringify(toFhirAuditBundle(records), null, 2));
      return 0;
    } finally {
      await log.close();
    }
  },
};
