import { chainAuditRecord } from '../../../../gateway/audit/chainAuditRecord';
import { assertAuditLogFilter, matchesAuditFilter } from '../../../../gateway/audit/matchesAuditFilter';
import { PATIENT_A, PATIENT_B, sampleAuditEntry } from './sampleAuditEntry';

describe('matchesAuditFilter', () => {
  const record = chainAuditRecord(sampleAuditEntry({ time: '2026-03-01T01:30:00.000Z', patients: [PATIENT_A] }), { seq: 9, hash: 'b'.repeat(64) });

  it('matches every record with an empty filter', () => {
    expect(matchesAuditFilter(record, {})).toBe(true);
  });

  it('matches by patient and by subject', () => {
    expect(matchesAuditFilter(record, { patient: PATIENT_A })).toBe(true);
    expect(matchesAuditFilter(record, { patient: PATIENT_B })).toBe(false);
    expect(matchesAuditFilter(record, { sub: 'dr-nguyen-01' })).toBe(true);
    expect(matchesAuditFilter(record, { sub: 'dr-other' })).toBe(false);
  });

  it('treats from and to as inclusive instants, whatever their offset', () => {
    expect(matchesAuditFilter(record, { from: '2026-03-01T08:30:00+07:00', to: '2026-03-01T08:30:00+07:00' })).toBe(true);
    expect(matchesAuditFilter(record, { from: '2026-03-01T01:30:00.001Z' })).toBe(false);
    expect(matchesAuditFilter(record, { to: '2026-03-01T01:29:59.999Z' })).toBe(false);
  });

  it('keeps only records after afterSeq', () => {
    expect(matchesAuditFilter(record, { afterSeq: 9 })).toBe(true);
    expect(matchesAuditFilter(record, { afterSeq: 10 })).toBe(false);
  });
});

describe('assertAuditLogFilter', () => {
  it.each([[{ from: 'soon' }], [{ to: '2026-13-45' }], [{ limit: 0 }], [{ limit: 1.5 }], [{ afterSeq: -1 }]])('rejects %j', (filter) => {
    expect(() => assertAuditLogFilter(filter)).toThrow(RangeError);
  });

  it('accepts a well-formed filter', () => {
    expect(() => assertAuditLogFilter({ patient: PATIENT_A, from: '2026-03-01', to: '2026-03-02T00:00:00+07:00', limit: 10, afterSeq: 0 })).not.toThrow();
  });
});
