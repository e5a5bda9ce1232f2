import type { AuditEntry } from '../../../../gateway/audit/AuditEntry';
import { EMPTY_CHAIN_HEAD, type AuditRecord } from '../../../../gateway/audit/AuditRecord';
import { canonicalJson } from '../../../../gateway/audit/canonicalJson';
import { chainAuditRecord } from '../../../../gateway/audit/chainAuditRecord';
import { hashAuditRecord } from '../../../../gateway/audit/hashAuditRecord';
import { verifyAuditChain } from '../../../../gateway/audit/verifyAuditChain';
import { PATIENT_B, sampleAuditEntries } from './sampleAuditEntry';

function chainOf(entries: readonly AuditEntry[]): AuditRecord[] {
  let head = EMPTY_CHAIN_HEAD;
  return entries.map((entry) => {
    const record = chainAuditRecord(entry, head);
    head = record;
    return record;
  });
}

const stored = (records: readonly AuditRecord[]): string[] => records.map((r) => canonicalJson(r));

describe('verifyAuditChain', () => {
  const records = chainOf(sampleAuditEntries(5));

  it('reports an intact chain with its record count', () => {
    expect(verifyAuditChain(stored(records))).toEqual({ kind: 'intact', count: 5 });
  });

  it('reports an empty log as intact with no records', () => {
    expect(verifyAuditChain([])).toEqual({ kind: 'intact', count: 0 });
  });

  it('accepts records serialized with any key order (the hash is over canonical JSON)', () => {
    expect(verifyAuditChain(records.map((r) => JSON.stringify(r)))).toEqual({ kind: 'intact', count: 5 });
  });

  it('names the record whose content was changed', () => {
    const texts = stored(records);
    texts[2] = canonicalJson({ ...records[2], outcome: 'denied' });
    expect(verifyAuditChain(texts)).toEqual({ kind: 'broken', seq: 3, reason: expect.stringContaining('does not match its hash') });
  });

  it('names the next record when a changed record was re-hashed to hide the change', () => {
    const forged = { ...records[2]!, patients: [PATIENT_B] };
    const texts = stored(records);
    texts[2] = canonicalJson({ ...forged, hash: hashAuditRecord(forged) });
    expect(verifyAuditChain(texts)).toEqual({ kind: 'broken', seq: 4, reason: expect.stringContaining('does not link to record #3') });
  });

  it('names a removed record as missing', () => {
    const texts = stored(records);
    texts.splice(1, 1);
    expect(verifyAuditChain(texts)).toEqual({ kind: 'broken', seq: 2, reason: expect.stringContaining('record #2 is missing') });
  });

  it('names the first position of two swapped records', () => {
    const texts = stored(records);
    [texts[1], texts[2]] = [texts[2]!, texts[1]!];
    expect(verifyAuditChain(texts)).toEqual({ kind: 'broken', seq: 2, reason: expect.stringContaining('#3 follows #1') });
  });

  it('names a duplicated record', () => {
    const texts = stored(records);
    texts.splice(2, 0, texts[1]!);
    expect(verifyAuditChain(texts)).toEqual({ kind: 'broken', seq: 3, reason: expect.stringContaining('record #2 appears where #3 belongs') });
  });

  it('names a record whose seq was renumbered to close a gap', () => {
    const texts = stored(records);
    texts.splice(1, 1);
    const renumbered = { ...records[2]!, seq: 2 };
    texts[1] = canonicalJson({ ...renumbered, hash: hashAuditRecord(renumbered) });
    expect(verifyAuditChain(texts)).toEqual({ kind: 'broken', seq: 2, reason: expect.stringContaining('does not link to record #1') });
  });

  it('names an unparseable record without quoting it', () => {
    const texts = stored(records);
    texts[4] = texts[4]!.slice(0, 40);
    const verdict = verifyAuditChain(texts);
    expect(verdict).toEqual({ kind: 'broken', seq: 5, reason: 'record #5 is not valid JSON (edited or cut off)' });
  });

  it('names a record that gained a member, such as a patient name', () => {
    const texts = stored(records);
    texts[0] = canonicalJson({ ...records[0], patientName: 'Nguyễn Văn An' });
    const verdict = verifyAuditChain(texts);
    expect(verdict).toMatchObject({ kind: 'broken', seq: 1 });
    expect(JSON.stringify(verdict)).not.toContain('Nguyễn');
  });

  it('trusts nothing after the first break', () => {
    const texts = stored(records);
    texts[1] = '{}';
    texts[3] = 'garbage';
    expect(verifyAuditChain(texts)).toMatchObject({ kind: 'broken', seq: 2 });
  });

  describe('with an anchor (the head kept outside the chain)', () => {
    const head = { seq: records[4]!.seq, hash: records[4]!.hash };

    it('reports intact when the chain ends at the anchor', () => {
      expect(verifyAuditChain(stored(records), head)).toEqual({ kind: 'intact', count: 5 });
    });

    it('shows records cut from the end, which the chain alone cannot show', () => {
      const texts = stored(records).slice(0, 3);
      expect(verifyAuditChain(texts)).toEqual({ kind: 'intact', count: 3 });
      expect(verifyAuditChain(texts, head)).toEqual({ kind: 'broken', seq: 4, reason: expect.stringContaining('removed from the end') });
    });

    it('shows records written past the anchor', () => {
      expect(verifyAuditChain(stored(records), { seq: 3, hash: records[2]!.hash })).toMatchObject({ kind: 'broken', seq: 4 });
    });

    it('shows a last record that is not the anchored one', () => {
      expect(verifyAuditChain(stored(records), { seq: 5, hash: 'f'.repeat(64) })).toMatchObject({ kind: 'broken', seq: 5 });
    });
  });
});
