import type { AuditEntry } from '../../../../gateway/audit/AuditEntry';
import { sha256Hex } from '../../../../core/crypto/sha256Hex';

/** Synthetic national IDs (valid shape, province 001 / 079); no real person. */
export const PATIENT_A = '001085012345';
export const PATIENT_B = '079190054321';

/** One clinician reading one patient's encounters at two hospitals; `overrides` change any part. */
export function sampleAuditEntry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    time: '2026-03-01T01:30:00.000Z',
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    principal: { sub: 'dr-nguyen-01', role: 'clinician', facilityCode: '01001', purposeOfUse: 'treatment', tokenId: 'jti-7f3a' },
    operation: { name: 'PatientRecord', type: 'query', documentHash: sha256Hex('query PatientRecord { patient(nationalId: $id) { encounters { id } } }') },
    fields: ['Query.patient', 'Patient.encounters', 'Encounter.id'],
    patients: [PATIENT_A],
    sources: ['01001', '79002', 'identity'],
    outcome: 'success',
    errorCodes: [],
    flags: [],
    ...overrides,
  };
}

/** `count` entries, one per minute from the sample's time, alternating between two patients. */
export function sampleAuditEntries(count: number): AuditEntry[] {
  return Array.from({ length: count }, (_, i) =>
    sampleAuditEntry({
      time: new Date(Date.parse('2026-03-01T01:30:00.000Z') + i * 60_000).toISOString(),
      traceId: `trace-${i}`,
      patients: [i % 2 === 0 ? PATIENT_A : PATIENT_B],
    }),
  );
}
