import type { SourcePatient } from '../../../../adapters/sdk/ClinicalAdapter';
import { agreedFieldsOf, buildPatientLookup, matchPatients } from '../../../../adapters/sdk/matchPatients';
import type { PatientKeys } from '../../../../contracts/model/patient';

// Synthetic people only. National IDs: province 001, gender/century digit, birth year, serial.
const AN: PatientKeys = {
  nationalId: '001090000001',
  insuranceNumber: 'DN4010100000001',
  fullName: 'Nguyễn Văn An',
  birthDate: '1990-04-12',
  gender: 'MALE',
};
const BINH: PatientKeys = {
  nationalId: '001185000002',
  insuranceNumber: 'HT3790100000002',
  fullName: 'Trần Thị Bình',
  birthDate: '1985-11-02',
  gender: 'FEMALE',
};

function candidate(localId: string, fields: Partial<Omit<SourcePatient, 'localId'>>): SourcePatient {
  return { localId, nationalId: null, insuranceNumber: null, fullName: null, birthDate: null, gender: null, ...fields };
}

describe('matchPatients', () => {
  it('matches a record holding the same national ID with confidence 1.0', () => {
    const result = matchPatients([AN], [candidate('BN1', { nationalId: AN.nationalId })]);
    expect(result.get(AN.nationalId)).toEqual([{ localId: 'BN1', method: 'NATIONAL_ID', decision: 'MATCH', confidence: 1 }]);
  });

  it('matches by national ID even when the record’s name and insurance number differ', () => {
    const record = candidate('BN1', { nationalId: AN.nationalId, fullName: 'Someone Else', insuranceNumber: 'DN4010199999999' });
    expect(matchPatients([AN], [record]).get(AN.nationalId)).toEqual([{ localId: 'BN1', method: 'NATIONAL_ID', decision: 'MATCH', confidence: 1 }]);
  });

  it('matches a record without national ID by the BHXH code when the card code changed group and province', () => {
    // Same 10-digit BHXH code, different beneficiary group, benefit level and province.
    const record = candidate('BN2', { insuranceNumber: 'HT2790100000001' });
    expect(matchPatients([AN], [record]).get(AN.nationalId)).toEqual([
      { localId: 'BN2', method: 'INSURANCE_NUMBER', decision: 'MATCH', confidence: 0.95 },
    ]);
  });

  it('matches a record that holds only the bare 10-digit BHXH code', () => {
    const record = candidate('BN2', { insuranceNumber: '0100000001' });
    expect(matchPatients([AN], [record]).get(AN.nationalId)?.[0]?.method).toBe('INSURANCE_NUMBER');
  });

  it('does not match by insurance number when the record carries a different national ID', () => {
    const record = candidate('BN3', { nationalId: '001090999999', insuranceNumber: AN.insuranceNumber });
    expect(matchPatients([AN], [record]).get(AN.nationalId)).toEqual([]);
  });

  it('matches by demographics with confidence 0.8 when the record has neither number', () => {
    const record = candidate('BN4', { fullName: AN.fullName, birthDate: AN.birthDate, gender: 'MALE' });
    expect(matchPatients([AN], [record]).get(AN.nationalId)).toEqual([{ localId: 'BN4', method: 'DEMOGRAPHICS', decision: 'MATCH', confidence: 0.8, agreed: ['fullName', 'birthDate', 'gender'] }]);
  });

  it.each([
    ['without diacritics', 'Nguyen Van An'],
    ['in upper case (QĐ 130 HO_TEN style)', 'NGUYỄN VĂN AN'],
    ['with extra spacing', '  Nguyễn   Văn  An '],
    ['given name first', 'An Văn Nguyễn'],
    ['decomposed Unicode (NFD)', 'Nguyễn Văn An'.normalize('NFD')],
  ])('matches a name written %s', (_how, fullName) => {
    const record = candidate('BN4', { fullName, birthDate: AN.birthDate, gender: 'MALE' });
    expect(matchPatients([AN], [record]).get(AN.nationalId)?.[0]?.method).toBe('DEMOGRAPHICS');
  });

  it('uses the record matcher: a one-letter typo in the name still matches, a diacritic twin (Hùng / Hưng) never does', () => {
    const hung: PatientKeys = { ...AN, fullName: 'Nguyễn Văn Hùng', insuranceNumber: null };
    const typo = candidate('M1', { fullName: 'Nguyễn Văn Hùnh', birthDate: AN.birthDate, gender: 'MALE' });
    const twin = candidate('M2', { fullName: 'Nguyễn Văn Hưng', birthDate: AN.birthDate, gender: 'MALE' });
    expect(matchPatients([hung], [typo, twin]).get(hung.nationalId)).toEqual([{ localId: 'M1', method: 'DEMOGRAPHICS', decision: 'MATCH', confidence: 0.8, agreed: ['fullName', 'birthDate', 'gender'] }]);
  });

  it('does not merge a demographic possible match (year-only birth date, nothing else to back it)', () => {
    const record = candidate('Y1', { fullName: AN.fullName, birthDate: '1990', gender: 'MALE' });
    expect(matchPatients([AN], [record]).get(AN.nationalId)).toEqual([]);
  });

  it('normalizes đ to d in names', () => {
    const dung: PatientKeys = { ...AN, fullName: 'Đặng Văn Dũng' };
    const record = candidate('BN4', { fullName: 'DANG VAN DUNG', birthDate: AN.birthDate, gender: 'MALE' });
    expect(matchPatients([dung], [record]).get(dung.nationalId)?.[0]?.method).toBe('DEMOGRAPHICS');
  });

  it('does not match by demographics when the name, birth date or gender differs', () => {
    const records = [
      candidate('N1', { fullName: 'Nguyễn Văn Anh', birthDate: AN.birthDate, gender: 'MALE' }),
      candidate('N2', { fullName: AN.fullName, birthDate: '1990-04-13', gender: 'MALE' }),
      candidate('N3', { fullName: AN.fullName, birthDate: AN.birthDate, gender: 'FEMALE' }),
      candidate('N4', { fullName: AN.fullName, birthDate: null, gender: 'MALE' }),
    ];
    expect(matchPatients([AN], records).get(AN.nationalId)).toEqual([]);
  });

  it('lets unknown gender on either side not block a demographic match', () => {
    const records = [
      candidate('U1', { fullName: AN.fullName, birthDate: AN.birthDate, gender: 'UNKNOWN' }),
      candidate('U2', { fullName: AN.fullName, birthDate: AN.birthDate, gender: null }),
    ];
    expect(matchPatients([AN], records).get(AN.nationalId)?.map((r) => r.localId)).toEqual(['U1', 'U2']);
    const unknownPerson: PatientKeys = { ...AN, gender: 'UNKNOWN' };
    const female = candidate('U3', { fullName: AN.fullName, birthDate: AN.birthDate, gender: 'FEMALE' });
    expect(matchPatients([unknownPerson], [female]).get(AN.nationalId)?.[0]?.localId).toBe('U3');
  });

  it('does not match by demographics when the record carries a national ID or a contradicting BHXH code', () => {
    const records = [
      candidate('C1', { nationalId: '001090999999', fullName: AN.fullName, birthDate: AN.birthDate, gender: 'MALE' }),
      candidate('C2', { insuranceNumber: 'DN4010199999999', fullName: AN.fullName, birthDate: AN.birthDate, gender: 'MALE' }),
    ];
    expect(matchPatients([AN], records).get(AN.nationalId)).toEqual([]);
  });

  it('matches by demographics a record with an insurance number when the person has none', () => {
    const uninsured: PatientKeys = { ...AN, insuranceNumber: null };
    const record = candidate('C3', { insuranceNumber: 'DN4010199999999', fullName: AN.fullName, birthDate: AN.birthDate, gender: 'MALE' });
    expect(matchPatients([uninsured], [record]).get(AN.nationalId)?.[0]?.method).toBe('DEMOGRAPHICS');
  });

  it('drops demographic matches when the minimum confidence is above 0.8, keeping stronger rules', () => {
    const records = [
      candidate('T1', { nationalId: AN.nationalId }),
      candidate('T2', { insuranceNumber: AN.insuranceNumber }),
      candidate('T3', { fullName: AN.fullName, birthDate: AN.birthDate, gender: 'MALE' }),
    ];
    expect(matchPatients([AN], records, { minimumConfidence: 0.9 }).get(AN.nationalId)?.map((r) => r.localId)).toEqual(['T1', 'T2']);
    expect(matchPatients([AN], records, { minimumConfidence: 0.96 }).get(AN.nationalId)?.map((r) => r.localId)).toEqual(['T1']);
    expect(matchPatients([AN], records).get(AN.nationalId)?.map((r) => r.localId)).toEqual(['T1', 'T2', 'T3']);
  });

  it('rejects a minimum confidence outside 0..1', () => {
    expect(() => matchPatients([AN], [], { minimumConfidence: 1.5 })).toThrow(RangeError);
  });

  it('gives a person all their records, strongest match first', () => {
    const records = [
      candidate('Z9', { fullName: AN.fullName, birthDate: AN.birthDate, gender: 'MALE' }),
      candidate('Z1', { insuranceNumber: AN.insuranceNumber }),
      candidate('Z5', { nationalId: AN.nationalId }),
    ];
    expect(matchPatients([AN], records).get(AN.nationalId)).toEqual([
      { localId: 'Z5', method: 'NATIONAL_ID', decision: 'MATCH', confidence: 1 },
      { localId: 'Z1', method: 'INSURANCE_NUMBER', decision: 'MATCH', confidence: 0.95 },
      { localId: 'Z9', method: 'DEMOGRAPHICS', decision: 'MATCH', confidence: 0.8, agreed: ['fullName', 'birthDate', 'gender'] },
    ]);
  });

  it('never gives one record to two people: the stronger rule claims it', () => {
    // The record holds Bình's national ID but An's name and birth date.
    const record = candidate('S1', { nationalId: BINH.nationalId, fullName: AN.fullName, birthDate: AN.birthDate, gender: 'MALE' });
    const result = matchPatients([AN, BINH], [record]);
    expect(result.get(BINH.nationalId)).toEqual([{ localId: 'S1', method: 'NATIONAL_ID', decision: 'MATCH', confidence: 1 }]);
    expect(result.get(AN.nationalId)).toEqual([]);
  });

  it('gives a record that fits two people by the same rule to neither', () => {
    const twin: PatientKeys = { ...AN, nationalId: '001090000003', insuranceNumber: null };
    const sameBhxh: PatientKeys = { ...BINH, insuranceNumber: 'GD4790100000001' }; // An's BHXH code: a data error
    const byName = candidate('A1', { fullName: AN.fullName, birthDate: AN.birthDate, gender: 'MALE' });
    const byCard = candidate('A2', { insuranceNumber: AN.insuranceNumber });
    const result = matchPatients([AN, twin, sameBhxh], [byName, byCard]);
    const owners = [...result.values()].flat().map((r) => r.localId);
    expect(owners).toEqual([]);
  });

  it('returns an entry for every person asked, keyed by national ID, and a record returned twice only once', () => {
    const record = candidate('D1', { nationalId: AN.nationalId });
    const result = matchPatients([AN, BINH, AN], [record, record]);
    expect([...result.keys()]).toEqual([AN.nationalId, BINH.nationalId]);
    expect(result.get(AN.nationalId)).toHaveLength(1);
    expect(result.get(BINH.nationalId)).toEqual([]);
  });

  it('treats blank identifiers of a source as missing', () => {
    const record = candidate('B1', { nationalId: '  ', insuranceNumber: '', fullName: AN.fullName, birthDate: AN.birthDate, gender: 'MALE' });
    expect(matchPatients([AN], [record]).get(AN.nationalId)?.[0]?.method).toBe('DEMOGRAPHICS');
  });
});

describe('matchPatients with includePossibleMatches', () => {
  // The gender typed wrongly at the front desk: same name and birth date, at most a possible match.
  const wrongGender = candidate('P1', { fullName: AN.fullName, birthDate: AN.birthDate, gender: 'FEMALE' });

  it('gives a possible match only when asked, marked POSSIBLE_MATCH with the matcher’s confidence', () => {
    expect(matchPatients([AN], [wrongGender]).get(AN.nationalId)).toEqual([]);
    const [record, ...rest] = matchPatients([AN], [wrongGender], { includePossibleMatches: true }).get(AN.nationalId) ?? [];
    expect(rest).toEqual([]);
    expect(record).toMatchObject({ localId: 'P1', method: 'DEMOGRAPHICS', decision: 'POSSIBLE_MATCH' });
    expect(record?.confidence).toBeGreaterThan(0.5);
    expect(record?.confidence).toBeLessThan(1);
    expect(record?.agreed).toEqual(expect.arrayContaining(['fullName', 'birthDate']));
  });

  it('keeps MATCH records first and never offers a claimed record as a possible one', () => {
    const own = candidate('M1', { nationalId: AN.nationalId });
    const records = matchPatients([AN], [wrongGender, own], { includePossibleMatches: true }).get(AN.nationalId) ?? [];
    expect(records.map((r) => [r.localId, r.decision])).toEqual([['M1', 'MATCH'], ['P1', 'POSSIBLE_MATCH']]);
  });

  it('offers a record possibly of two people asked to neither, and a record with a national ID to no one else', () => {
    const namesake: PatientKeys = { ...AN, nationalId: '001090000009', insuranceNumber: null, gender: 'MALE' };
    expect(matchPatients([AN, namesake], [wrongGender], { includePossibleMatches: true }).get(AN.nationalId)).toEqual([]);
    const otherId = candidate('P2', { nationalId: '001090000777', fullName: AN.fullName, birthDate: AN.birthDate, gender: 'FEMALE' });
    expect(matchPatients([AN], [otherId], { includePossibleMatches: true }).get(AN.nationalId)).toEqual([]);
  });
});

describe('agreedFieldsOf', () => {
  it('names the identifier for identifier rules and the matcher’s fields for demographics', () => {
    expect(agreedFieldsOf({ localId: 'a', method: 'NATIONAL_ID', decision: 'MATCH', confidence: 1 })).toEqual(['nationalId']);
    expect(agreedFieldsOf({ localId: 'a', method: 'INSURANCE_NUMBER', decision: 'MATCH', confidence: 0.95 })).toEqual(['insuranceNumber']);
    const [record] = matchPatients([AN], [candidate('G1', { fullName: 'Nguyen Van An', birthDate: AN.birthDate, gender: null })]).get(AN.nationalId) ?? [];
    expect(agreedFieldsOf(record!)).toEqual(['fullName', 'birthDate']);
  });
});

describe('buildPatientLookup', () => {
  it('asks for unique national IDs, BHXH codes and the birth dates of people with a name', () => {
    const noName: PatientKeys = { ...BINH, nationalId: '001185000009', fullName: null, birthDate: '2001-01-01', insuranceNumber: null };
    expect(buildPatientLookup([AN, BINH, AN, noName])).toEqual({
      nationalIds: [AN.nationalId, BINH.nationalId, noName.nationalId],
      socialInsuranceNumbers: ['0100000001', '0100000002'],
      birthDates: ['1990-04-12', '1985-11-02'],
    });
  });

  it('asks for no birth dates when demographic matching is off', () => {
    expect(buildPatientLookup([AN], { minimumConfidence: 0.9 }).birthDates).toEqual([]);
  });
});
