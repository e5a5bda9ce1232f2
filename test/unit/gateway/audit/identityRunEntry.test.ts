import { identityRunEntry } from '../../../../gateway/audit/identityRunEntry';
import { normalizeAuditEntry } from '../../../../gateway/audit/normalizeAuditEntry';
import { toFhirAuditEvent } from '../../../../gateway/audit/toFhirAuditEvent';
import { chainAuditRecord } from '../../../../gateway/audit/chainAuditRecord';
import { EMPTY_CHAIN_HEAD } from '../../../../gateway/audit/AuditRecord';

describe('the audit record of an identity sync / load run', () => {
  const outcomes = [
    { facilityCode: '79001', records: 12, linked: 10, review: 1, unmatched: 1 },
    { facilityCode: '01001', records: 0, linked: 0, review: 0, unmatched: 0, error: 'source 01001 answered the patient feed with HTTP 502' },
  ];

  it('names the operator, the facilities and counts only; a failed source makes it partial', () => {
    const entry = normalizeAuditEntry(identityRunEntry('identity sync', 'sync:nightly', outcomes, new Date('2026-12-07T20:00:00Z')));
    expect(entry).toMatchObject({
      principal: { sub: 'sync:nightly', role: 'admin', facilityCode: null, purposeOfUse: 'operations', tokenId: null },
      operation: { name: null, type: 'mutation' },
      patients: [],
      sources: ['01001', '79001'],
      outcome: 'partial',
      errorCodes: ['SOURCE_UNAVAILABLE'],
      identityRun: {
        command: 'identity sync',
        facilities: [
          { facilityCode: '01001', records: 0, linked: 0, review: 0, unmatched: 0, status: 'failed' },
          { facilityCode: '79001', records: 12, linked: 10, review: 1, unmatched: 1, status: 'read' },
        ],
      },
    });
    // The source's error message never reaches the record.
    expect(JSON.stringify(entry)).not.toContain('HTTP 502');
    const event = toFhirAuditEvent(chainAuditRecord(entry, EMPTY_CHAIN_HEAD));
    expect(JSON.stringify(event)).toContain('79001 12 records, 10 linked, 1 to review, 1 not matched');
  });

  it('is refused when the run carries anything but facility codes and counts', () => {
    const entry = identityRunEntry('identity load', 'load:cli', outcomes.slice(0, 1));
    const facility = entry.identityRun!.facilities[0]!;
    const variants: unknown[] = [
      { ...entry.identityRun, facilities: [{ ...facility, facilityCode: '001085012345' }] },
      { ...entry.identityRun, facilities: [{ ...facility, linked: -1 }] },
      { ...entry.identityRun, command: 'Nguyễn Văn An' },
    ];
    for (const identityRun of variants) {
      expect(() => normalizeAuditEntry({ ...entry, identityRun } as never)).toThrow(/identityRun/);
    }
    // Anything else a caller passes along is dropped before the record is written.
    const careless = normalizeAuditEntry({ ...entry, identityRun: { ...entry.identityRun, people: ['001085012345'], facilities: [{ ...facility, nationalIds: ['001085012345'] }] } } as never);
    expect(JSON.stringify(careless)).not.toContain('001085012345');
  });
});
