import type { SourcePatient } from '../../../../adapters/sdk/ClinicalAdapter';
import { Xml130Index } from '../../../../adapters/xml130/Xml130Index';
import type { Xml130Hoso } from '../../../../adapters/xml130/Xml130Hoso';

function episode(maLk: string, patient: Partial<SourcePatient> & { localId: string }, start: string, primary = 'J18.9'): Xml130Hoso {
  return {
    maLk,
    patient: { nationalId: null, insuranceNumber: null, fullName: 'Ngô Văn Tâm', birthDate: '1980-01-02', gender: 'MALE', ...patient },
    encounter: {
      id: maLk, status: 'FINISHED', class: 'AMBULATORY', period: { start, end: start }, reasonText: null,
      diagnoses: [{ code: { system: 'http://hl7.org/fhir/sid/icd-10', code: primary, display: `${primary} text` }, role: 'PRIMARY', rank: 1 }],
      departmentCodes: [], cost: null,
    },
    conditions: [],
    medications: [],
    procedures: [],
    observations: [],
    tables: { XML1: 1 },
    supplyRows: 0,
  };
}

const NO_LOOKUP = { nationalIds: [], socialInsuranceNumbers: [], birthDates: [] };

describe('Xml130Index', () => {
  it('finds patients by CCCD, by the BHXH code of a card, and by birth date, in one pass', () => {
    const index = Xml130Index.build([{ path: 'a.xml', mtimeMs: 1, hoso: [
      episode('LK1', { localId: 'BN1', nationalId: '001080012345' }, '2024-01-05T08:00:00+07:00'),
      episode('LK2', { localId: 'BN2', insuranceNumber: 'DN4010123456789' }, '2024-01-06T08:00:00+07:00'),
      episode('LK3', { localId: 'BN3', birthDate: '1999-09-09' }, '2024-01-07T08:00:00+07:00'),
    ] }]);
    const found = index.findPatients({ nationalIds: ['001080012345'], socialInsuranceNumbers: ['0123456789'], birthDates: ['1999-09-09'] });
    expect(found.map((p) => p.localId)).toEqual(['BN1', 'BN2', 'BN3']);
    expect(index.findPatients(NO_LOOKUP)).toEqual([]);
  });

  it('merges the episodes of one MA_BN into one patient, the newest episode winning field by field', () => {
    const index = Xml130Index.build([{ path: 'a.xml', mtimeMs: 1, hoso: [
      episode('LK2', { localId: 'BN1', insuranceNumber: 'DN4010123456789', fullName: 'Ngô Văn Tâm' }, '2024-05-01T08:00:00+07:00'),
      episode('LK1', { localId: 'BN1', nationalId: '001080012345', fullName: 'Ngo Van Tam' }, '2023-01-01T08:00:00+07:00'),
    ] }]);
    expect(index.findPatients({ ...NO_LOOKUP, nationalIds: ['001080012345'] })).toEqual([{
      localId: 'BN1', nationalId: '001080012345', insuranceNumber: 'DN4010123456789', fullName: 'Ngô Văn Tâm', birthDate: '1980-01-02', gender: 'MALE', identifiers: [],
    }]);
    expect(index.resources('encounters', ['BN1']).map((r) => r.resource.id)).toEqual(['LK1', 'LK2']);
    expect(index.resources('allergies', ['BN1'])).toEqual([]);
  });

  it('keeps the newest file version of an episode sent twice (same MA_LK)', () => {
    const index = Xml130Index.build([
      { path: 'new.xml', mtimeMs: 2, hoso: [episode('LK1', { localId: 'BN1' }, '2024-01-05T08:00:00+07:00', 'I10')] },
      { path: 'old.xml', mtimeMs: 1, hoso: [episode('LK1', { localId: 'BN1' }, '2024-01-05T08:00:00+07:00', 'J18.9')] },
    ]);
    expect(index.hosoCount).toBe(1);
    expect(index.replacedHoso).toBe(1);
    expect(index.diagnosisCounts({ from: null, to: null })).toEqual([{ code: 'I10', display: 'I10 text', encounters: 1 }]);
  });

  it('counts episodes by the Viet Nam date of NGAY_VAO, window inclusive', () => {
    const index = Xml130Index.build([{ path: 'a.xml', mtimeMs: 1, hoso: [
      episode('LK1', { localId: 'BN1' }, '2024-01-31T23:30:00+07:00'),
      episode('LK2', { localId: 'BN2' }, '2024-02-01T00:10:00+07:00'),
      episode('LK3', { localId: 'BN3' }, '2024-02-29T12:00:00+07:00', 'I10'),
      episode('LK4', { localId: 'BN4' }, '2024-03-01T07:00:00+07:00'),
    ] }]);
    expect(index.encounterCount({ from: '2024-02-01', to: '2024-02-29' })).toBe(2);
    expect(index.encounterCount({ from: null, to: '2024-01-31' })).toBe(1);
    expect(index.encounterCount({ from: null, to: null })).toBe(4);
    expect(index.diagnosisCounts({ from: '2024-02-01', to: '2024-02-29' })).toEqual([
      { code: 'J18.9', display: 'J18.9 text', encounters: 1 },
      { code: 'I10', display: 'I10 text', encounters: 1 },
    ]);
  });
});
