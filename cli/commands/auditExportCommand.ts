import { Option } from 'commander';
import { parseNationalId } from '../../core/identifiers/nationalId';
import { stringOption, UsageError, type CliCommand } from '../CliCommand';
import { auditLogTargetOf, defineAuditLogOptions } from './auditLogOptions';

/**
 * `patient-graph audit export --format fhir`: the audit records as a FHIR R4 Bundle (type
 * collection) of AuditEvents on stdout, for a SIEM or an ATNA audit repository; `--patient`
 * keeps the records that touched one patient (the accounting of disclosures a patient may ask
 * for). It does not check the chain: run `audit verify` for that.
 */
export const auditExportCommand: CliCommand = {
  path: ['audit', 'export'],
  summary: 'print the audit records as a FHIR R4 Bundle of AuditEvents',
  define(command) {
    command
      .addOption(new Option('--format <format>', 'export format').choices(['fhir']).makeOptionMandatory())
      .option('--patient <nationalId>', 'only the records that touched this patient (12-digit national ID)');
    defineAuditLogOptions(command);
  },
  async run(input, io) {
    const patient = stringOption(input, 'patient');
    if (patient !== undefined) {
      const check = parseNationalId(patient);
      if (check.kind === 'invalid') throw new UsageError(`--patient: ${check.reason}`);
    }
    const target = await auditLogTargetOf(input);
    const [{ openAuditLog }, { toFhirAuditBundle }] = await Promise.all([import('../../gateway/audit/openAuditLog'), import('../../gateway/audit/toFhirAuditBundle')]);
    const log = await openAuditLog(target, 'read');
    try {
      const records = await log.read(patient !== undefined ? { patient } : {});
      io.out(JSON.stringify(toFhirAuditBundle(records), null, 2));
      return 0;
    } finally {
      await log.close();
    }
  },
};
