import { EMPTY_CHAIN_HEAD, type AuditRecord } from '../../../../gateway/audit/AuditRecord';
import { chainAuditRecord } from '../../../../gateway/audit/chainAuditRecord';
import { collectAuditRecords, type StoredAuditRecord } from '../../../../gateway/audit/collectAuditRecords';
import { PATIENT_B, sampleAuditEntries } from './sampleAuditEntry';

function chain(count: number): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (const [index, entry] of sampleAuditEntries(count).entries()) {
    records.push(chainAuditRecord(index % 2 === 1 ? { ...entry, patients: [PATIENT_B] } : entry, records.at(-1) ?? EMPTY_CHAIN_HEAD));
  }
  return records;
}

/** Stored records as a log yields them, counting how many were read. */
function stored(items: readonly StoredAuditRecord[]): { iterable: AsyncIterable<StoredAuditRecord>; read: () => number } {
  let read = 0;
  return {
    iterable: (async function* () {
      for (const item of items) {
        read++;
        yield item;
      }
    })(),
    read: () => read,
  };
}

const unreadable = (where: string, problem: string) => new Error(`entry ${where} ${problem}`);

describe('collectAuditRecords', () => {
  it('keeps the records the filter matches, in order, and stops reading at the limit', async () => {
    const records = chain(6);
    const source = stored(records.map((record, i) => ({ where: String(i + 1), parsed: { kind: 'record', record } })));
    const page = await collectAuditRecords(source.iterable, { patient: PATIENT_B, limit: 2 }, unreadable);
    expect(page.map((r) => r.seq)).toEqual([2, 4]);
    expect(source.read()).toBe(4);
  });

  it('stops at the first unreadable record with the log’s own error, naming where', async () => {
    const [first] = chain(1);
    if (!first) throw new Error('fixture');
    const source = stored([{ where: '1', parsed: { kind: 'record', record: first } }, { where: '2', parsed: { kind: 'invalid', problem: 'is cut off' } }]);
    await expect(collectAuditRecords(source.iterable, {}, unreadable)).rejects.toThrow('entry 2 is cut off');
  });
});
