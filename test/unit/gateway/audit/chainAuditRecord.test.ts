import { createHash } from 'node:crypto';
import { EMPTY_CHAIN_HEAD, GENESIS_HASH } from '../../../../gateway/audit/AuditRecord';
import { canonicalJson } from '../../../../gateway/audit/canonicalJson';
import { chainAuditRecord } from '../../../../gateway/audit/chainAuditRecord';
import { PATIENT_A, PATIENT_B, sampleAuditEntry } from './sampleAuditEntry';

describe('chainAuditRecord', () => {
  it('starts a chain at seq 1 with 64 zeros as prevHash', () => {
    const record = chainAuditRecord(sampleAuditEntry(), EMPTY_CHAIN_HEAD);
    expect(record.seq).toBe(1);
    expect(record.prevHash).toBe(GENESIS_HASH);
    expect(GENESIS_HASH).toBe('0'.repeat(64));
  });

  it('hashes sha256(prevHash + canonical JSON of the record without its hash)', () => {
    const record = chainAuditRecord(sampleAuditEntry(), { seq: 41, hash: 'a'.repeat(64) });
    const { hash, ...content } = record;
    expect(record.seq).toBe(42);
    expect(hash).toBe(createHash('sha256').update('a'.repeat(64) + canonicalJson(content)).digest('hex'));
  });

  it('keeps the hash of a fixed entry stable (cross-checked with Python json sort_keys), since a changed serialization would break every stored log', () => {
    expect(chainAuditRecord(sampleAuditEntry(), EMPTY_CHAIN_HEAD).hash).toBe('2b3b4ddb96ccf321a12037ba25a88795e5c9ed6e41544ffe071e27dc3753416e');
  });

  it('links each record to the hash of the one before', () => {
    const first = chainAuditRecord(sampleAuditEntry(), EMPTY_CHAIN_HEAD);
    const second = chainAuditRecord(sampleAuditEntry({ traceId: 'trace-2' }), first);
    expect(second.prevHash).toBe(first.hash);
    expect(second.seq).toBe(2);
  });

  it('sorts and de-duplicates every list and stores the time as a UTC instant', () => {
    const record = chainAuditRecord(
      sampleAuditEntry({
        time: '2026-03-01T08:30:00+07:00',
        patients: [PATIENT_B, PATIENT_A, PATIENT_B],
        sources: ['identity', '79002', '01001', '79002'],
        fields: ['Query.patient', 'Patient.encounters', 'Query.patient'],
        errorCodes: ['SOURCE_TIMEOUT', 'SOURCE_UNAVAILABLE', 'SOURCE_TIMEOUT'],
        flags: ['review', 'bulk-access'],
      }),
      EMPTY_CHAIN_HEAD,
    );
    expect(record.time).toBe('2026-03-01T01:30:00.000Z');
    expect(record.patients).toEqual([PATIENT_A, PATIENT_B]);
    expect(record.sources).toEqual(['01001', '79002', 'identity']);
    expect(record.fields).toEqual(['Patient.encounters', 'Query.patient']);
    expect(record.errorCodes).toEqual(['SOURCE_TIMEOUT', 'SOURCE_UNAVAILABLE']);
    expect(record.flags).toEqual(['bulk-access', 'review']);
  });

  it('gives the same hash for the same access whatever order the lists arrived in', () => {
    const a = chainAuditRecord(sampleAuditEntry({ patients: [PATIENT_A, PATIENT_B] }), EMPTY_CHAIN_HEAD);
    const b = chainAuditRecord(sampleAuditEntry({ patients: [PATIENT_B, PATIENT_A] }), EMPTY_CHAIN_HEAD);
    expect(a.hash).toBe(b.hash);
  });

  it.each([
    ['a patient that is not a 12-digit national ID', { patients: ['12345'] }, 'patients'],
    ['a field that is not a schema coordinate', { fields: ['patient encounters'] as never[] }, 'fields'],
    ['an unregistered error code', { errorCodes: ['OOPS'] as never[] }, 'errorCodes'],
    ['an unknown flag', { flags: ['Nguyen Van An'] as never[] }, 'flags'],
    ['a source that is not a code', { sources: ['Bệnh viện Bạch Mai'] }, 'sources'],
    ['a time that is not a date', { time: 'yesterday' }, 'time'],
    ['an empty break-the-glass reason', { breakTheGlass: { reason: '  ' } }, 'breakTheGlass.reason'],
  ])('refuses %s, naming the member but not its value', (_what, overrides, member) => {
    const attempt = () => chainAuditRecord(sampleAuditEntry(overrides), EMPTY_CHAIN_HEAD);
    expect(attempt).toThrow(TypeError);
    expect(attempt).toThrow(member);
    try {
      attempt();
    } catch (error) {
      for (const value of Object.values(overrides).flat()) {
        if (typeof value === 'string' && value.trim() !== '') expect((error as Error).message).not.toContain(value);
      }
    }
  });
});
