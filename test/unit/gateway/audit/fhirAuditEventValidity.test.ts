import { validateResource } from '@medplum/core';
import { indexMedplumDefinitions } from '../../../../demo/fhir/indexMedplumDefinitions';
import { EMPTY_CHAIN_HEAD } from '../../../../gateway/audit/AuditRecord';
import { chainAuditRecord } from '../../../../gateway/audit/chainAuditRecord';
import { toFhirAuditBundle } from '../../../../gateway/audit/toFhirAuditBundle';
import { toFhirAuditEvent } from '../../../../gateway/audit/toFhirAuditEvent';
import { PATIENT_A, PATIENT_B, sampleAuditEntry } from './sampleAuditEntry';

/** Records of every shape the gateway writes, including the ones that touched no field. */
const CASES = {
  'a read of one patient': sampleAuditEntry(),
  'an operation that touched no field (refused before execution)': sampleAuditEntry({ fields: [], patients: [], sources: [], outcome: 'denied', errorCodes: ['UNAUTHENTICATED'] }),
  'an anonymous operation without a name or token id': sampleAuditEntry({ operation: { name: null, type: 'query', documentHash: 'b'.repeat(64) }, principal: { sub: 'x', role: 'analyst', facilityCode: null, purposeOfUse: 'research', tokenId: null } }),
  'a patient reading their own record': sampleAuditEntry({ principal: { sub: PATIENT_B, role: 'patient', facilityCode: null, purposeOfUse: 'treatment', tokenId: 'jti-1' }, patients: [PATIENT_B] }),
  'break-the-glass with flags': sampleAuditEntry({ operation: { name: 'Emergency', type: 'mutation', documentHash: 'a'.repeat(64) }, breakTheGlass: { reason: 'unconscious patient' }, flags: ['review', 'sensitive-category'], patients: [PATIENT_A] }),
  'an error with several codes': sampleAuditEntry({ outcome: 'error', errorCodes: ['SOURCE_TIMEOUT', 'AUDIT_UNAVAILABLE'] }),
  'a search across hospitals': sampleAuditEntry({ fields: ['Query.diagnosisCounts'], patients: [], sources: ['01001', '79002'] }),
  'an analytics query with its aggregates': sampleAuditEntry({
    principal: { sub: 'analyst-1', role: 'analyst', facilityCode: null, purposeOfUse: 'research', tokenId: 'jti-9' },
    fields: ['Query.population', 'Query.encounterCount'],
    patients: [],
    sources: ['01001', '79002'],
    aggregates: [
      { field: 'Query.population', arguments: { measure: 'ENCOUNTERS', groupBy: ['QUARTER', 'SEX'], icd10Prefixes: ['J', 'A'], from: '2024-01-01', first: 20, note: '*', none: null }, cellsReleased: 9, cellsSuppressed: 7 },
      { field: 'Query.encounterCount', arguments: {}, cellsReleased: 0, cellsSuppressed: 1 },
    ],
  }),
} as const;

describe('exported FHIR AuditEvents are valid R4 (validateResource of @medplum/core)', () => {
  beforeAll(async () => {
    await indexMedplumDefinitions();
  }, 120_000);

  it.each(Object.entries(CASES))('%s', (_name, entry) => {
    const event = toFhirAuditEvent(chainAuditRecord(entry, EMPTY_CHAIN_HEAD));
    expect(validateResource(event)).toEqual([]);
    // No empty strings anywhere: FHIR forbids them (ele-1, and a primitive must have a value).
    expect(JSON.stringify(event)).not.toMatch(/:""/);
  });

  it('the export Bundle as a whole', () => {
    let head = EMPTY_CHAIN_HEAD;
    const records = Object.values(CASES).map((entry) => {
      const record = chainAuditRecord(entry, head);
      head = { seq: record.seq, hash: record.hash };
      return record;
    });
    expect(validateResource(toFhirAuditBundle(records))).toEqual([]);
  });
});
