import type { EncounterDiagnosesMapping } from '../../../../adapters/sql-his/SqlHisMapping';
import { loadSqlHisMapping, resolveMappingPath } from '../../../../adapters/sql-his/loadSqlHisMapping';
import {
  rowDiagnosesOf,
  toAllergy,
  toEncounter,
  toEncounterDiagnoses,
  toMedication,
  toObservation,
} from '../../../../adapters/sql-his/toClinicalResource';
import { toSourcePatient } from '../../../../adapters/sql-his/toSourcePatient';
import { CODE_SYSTEMS } from '../../../../contracts/model/clinical';

const legacy = loadSqlHisMapping(resolveMappingPath('demo-legacy'));
const modern = loadSqlHisMapping(resolveMappingPath('demo-modern'));

describe('toSourcePatient', () => {
  it('reads a legacy patient row: GIOI_TINH as a number, NGAY_SINH as yyyyMMdd, CHAR padding trimmed', () => {
    expect(toSourcePatient({ ma_bn: 'BN0001 ', so_cccd: null, ma_the_bhyt: 'DN4010123456789', ho_ten: 'Nguyễn Thị Lan', ngay_sinh: '19900102', gioi_tinh: 2 }, legacy.patients)).toEqual({
      localId: 'BN0001',
      nationalId: null,
      insuranceNumber: 'DN4010123456789',
      fullName: 'Nguyễn Thị Lan',
      birthDate: '1990-01-02',
      gender: 'FEMALE',
      // The card column, in the VN Core NamingSystem of the insurance number; the empty CCCD column is skipped.
      identifiers: [{ system: 'http://fhir.ehealth.gov.vn/core/sid/insurance_number', value: 'DN4010123456789' }],
    });
  });

  it('joins family and given names family first, and maps unknown codes to the field default', () => {
    const patient = toSourcePatient({ id: 'P1', family_name: 'Trần', given_names: 'Văn Minh', birth_date: '1990-01-02', sex: 'x' }, modern.patients);
    expect(patient).toMatchObject({ fullName: 'Trần Văn Minh', gender: 'UNKNOWN', nationalId: null });
  });

  it('gives null for a row without an id (not a patient record)', () => {
    expect(toSourcePatient({ ma_bn: '  ', ho_ten: 'X' }, legacy.patients)).toBeNull();
  });
});

describe('toEncounter', () => {
  const row = {
    ma_lk: 'LK1', ngay_vao: '202403150830', ngay_ra: '202403151045', ma_loai_kcb: '01', ma_doituong_kcb: '1.1', ly_do_vv: 'Khám bệnh',
    ma_khoa: 'K01; K03;', t_tongchi: '350000.00', t_bhtt: '280000.00', t_bncct: '70000.00', t_bntt: '0.00', ma_the_bhyt: 'DN4010123456789',
  };

  it('maps a QĐ 130-style encounter: MA_LOAI_KCB, yyyyMMddHHmm in Viet Nam time, MA_KHOA list, costs', () => {
    expect(toEncounter(row, legacy.encounters[0]!, [])).toEqual({
      id: 'LK1',
      status: 'FINISHED',
      class: 'AMBULATORY',
      period: { start: '2024-03-15T08:30:00+07:00', end: '2024-03-15T10:45:00+07:00' },
      reasonText: 'Khám bệnh',
      diagnoses: [],
      departmentCodes: ['K01', 'K03'],
      cost: { total: 350000, insurancePaid: 280000, patientCoPay: 70000, patientSelfPay: 0, insuranceCardUsed: 'DN4010123456789' },
    });
  });

  it('lets MA_DOITUONG_KCB 2 (emergency) decide the class before MA_LOAI_KCB, and unknown types fall back to OTHER', () => {
    expect(toEncounter({ ...row, ma_doituong_kcb: '2' }, legacy.encounters[0]!, [])?.class).toBe('EMERGENCY');
    expect(toEncounter({ ...row, ma_loai_kcb: '99' }, legacy.encounters[0]!, [])?.class).toBe('OTHER');
  });

  it('reads timestamptz instants in Viet Nam time and leaves missing costs as null', () => {
    const encounter = toEncounter({ id: 'E1', started_at: new Date('2024-03-15T01:30:00Z'), class: 'inpatient', status: 'finished', department_codes: null }, modern.encounters[0]!, []);
    expect(encounter).toMatchObject({ class: 'INPATIENT', period: { start: '2024-03-15T08:30:00+07:00', end: null }, departmentCodes: [], cost: null });
  });
});

describe('toEncounterDiagnoses', () => {
  it('groups diagnosis rows by encounter, primary first, ranked by STT', () => {
    const rows = [
      { $encounter: 'LK1', ma_benh: 'J02.9', ten_benh: 'Viêm họng', loai: 'kem_theo', stt: 2 },
      { $encounter: 'LK1', ma_benh: 'A91', ten_benh: 'Sốt xuất huyết Dengue', loai: 'chinh', stt: 1 },
      { $encounter: 'LK2', ma_benh: '', ten_benh: 'no code', loai: 'chinh', stt: 1 },
    ];
    const byEncounter = toEncounterDiagnoses(rows, legacy.encounters[0]!.diagnoses as EncounterDiagnosesMapping);
    expect(byEncounter.get('LK1')).toEqual([
      { code: { system: CODE_SYSTEMS.ICD10, code: 'A91', display: 'Sốt xuất huyết Dengue' }, role: 'PRIMARY', rank: 1 },
      { code: { system: CODE_SYSTEMS.ICD10, code: 'J02.9', display: 'Viêm họng' }, role: 'SECONDARY', rank: 2 },
    ]);
    expect(byEncounter.has('LK2')).toBe(false);
  });
});

describe('toObservation', () => {
  const base = { id: 'O1', ma_lk: 'LK1', ma_chi_so: '718-7', ten_chi_so: 'Hemoglobin', don_vi_do: 'g/dL', ket_luan: 'L', ngay_kq: '202403150845' };

  it('turns numeric GIA_TRI text into a quantity with its UCUM unit', () => {
    expect(toObservation({ ...base, gia_tri: '11.5' }, legacy.observations[0]!)).toEqual({
      id: 'O1',
      status: 'FINAL',
      code: { system: CODE_SYSTEMS.LOINC, code: '718-7', display: 'Hemoglobin' },
      valueQuantity: { value: 11.5, unit: 'g/dL', code: 'g/dL' },
      valueString: null,
      interpretation: 'L',
      effectiveDateTime: '2024-03-15T08:45:00+07:00',
      encounterId: 'LK1',
    });
  });

  it('keeps a text result as a string value', () => {
    expect(toObservation({ ...base, gia_tri: 'Âm tính' }, legacy.observations[0]!)).toMatchObject({ valueQuantity: null, valueString: 'Âm tính' });
  });

  it('gives null for a row without a code', () => {
    expect(toObservation({ ...base, ma_chi_so: null, gia_tri: '1' }, legacy.observations[0]!)).toBeNull();
  });
});

describe('toMedication and toAllergy', () => {
  it('maps TRANG_THAI codes and DECIMAL quantities', () => {
    const medication = toMedication(
      { id: 'M1', ma_lk: 'LK1', ma_thuoc: '40.48', ten_thuoc: 'Paracetamol 500mg', lieu_dung: '1 viên/lần', so_luong: '15.000', don_vi_tinh: 'viên', duong_dung: 'Uống', trang_thai: 1, ngay_yl: '202403150900' },
      legacy.medications[0]!,
    );
    expect(medication).toMatchObject({ status: 'ACTIVE', quantity: { value: 15, unit: 'viên', code: null }, medication: { system: CODE_SYSTEMS.VN_DMDC_DRUG } });
  });

  it('reads the allergen code system from another column, and null for one it does not know', () => {
    const row = { id: 'A1', ma_bn: 'BN1', loai_ma: 'ATC', ma_di_nguyen: 'J01CA04', ten_di_nguyen: 'Amoxicilin', nhom: 'thuoc', muc_do: 'cao', phan_ung: 'Phát ban', ngay_ghi_nhan: null };
    expect(toAllergy(row, legacy.allergies[0]!)).toEqual({
      id: 'A1',
      code: { system: 'http://www.whocc.no/atc', code: 'J01CA04', display: 'Amoxicilin' },
      category: 'MEDICATION',
      criticality: 'HIGH',
      reactionText: 'Phát ban',
      recordedDate: null,
    });
    expect(toAllergy({ ...row, loai_ma: 'SNOMED', nhom: null }, legacy.allergies[0]!)).toMatchObject({ code: { system: null }, category: null });
  });
});

describe('rowDiagnosesOf (diagnoses on the encounter row)', () => {
  const mapping = {
    kind: 'row' as const,
    main: { code: 'ICD_CODE', display: 'ICD_NAME' },
    secondary: { codes: 'ICD_SUB_CODE', displays: 'ICD_TEXT', separator: ';' },
    system: { kind: 'constant' as const, uri: 'http://hl7.org/fhir/sid/icd-10' },
  };

  it('puts the main code first, then each secondary code with the name at its position, a repeated code once', () => {
    const row = { ICD_CODE: 'I21', ICD_NAME: 'Nhồi máu cơ tim', ICD_SUB_CODE: 'I10; E78.5;I21;I10;', ICD_TEXT: 'Tăng huyết áp;Rối loạn lipid máu' };
    expect(rowDiagnosesOf(row, mapping)).toEqual([
      { code: { system: 'http://hl7.org/fhir/sid/icd-10', code: 'I21', display: 'Nhồi máu cơ tim' }, role: 'PRIMARY', rank: 1 },
      { code: { system: 'http://hl7.org/fhir/sid/icd-10', code: 'I10', display: 'Tăng huyết áp' }, role: 'SECONDARY', rank: 2 },
      { code: { system: 'http://hl7.org/fhir/sid/icd-10', code: 'E78.5', display: 'Rối loạn lipid máu' }, role: 'SECONDARY', rank: 3 },
    ]);
  });

  it('gives no diagnoses for an encounter row without codes', () => {
    expect(rowDiagnosesOf({ ICD_CODE: null, ICD_SUB_CODE: '' }, mapping)).toEqual([]);
  });
});

describe('toSourcePatient with identifier columns', () => {
  const vendor = loadSqlHisMapping(resolveMappingPath('demo-vendor'));
  const patients = { ...vendor.patients, identifiers: [...vendor.patients.identifiers, { column: 'OLD_CARD', system: 'urn:x', matchAs: 'insuranceNumber' as const }] };

  it('takes the national ID from a matchAs column holding 12 digits, and a card from a matchAs card column when the card column is empty', () => {
    const row = { ID: 7, CCCD_NUMBER: null, CMND_NUMBER: '001185000002', HEIN_CARD_NUMBER: null, OLD_CARD: 'HT3790123456789', DOB: 19850315000000 };
    expect(toSourcePatient(row, patients)).toMatchObject({ localId: '7', nationalId: '001185000002', insuranceNumber: 'HT3790123456789', birthDate: '1985-03-15' });
  });

  it('keeps the national ID column when no matchAs column holds 12 digits (an old 9-digit CMND is not a CCCD)', () => {
    const row = { ID: 8, CCCD_NUMBER: '001080000001', CMND_NUMBER: '012345678', HEIN_CARD_NUMBER: 'DN4010123456789', OLD_CARD: 'X' };
    expect(toSourcePatient(row, patients)).toMatchObject({ nationalId: '001080000001', insuranceNumber: 'DN4010123456789' });
    expect(toSourcePatient({ ...row, CCCD_NUMBER: null }, patients)).toMatchObject({ nationalId: null });
  });
});

describe('toObservation reference ranges', () => {
  const vendor = loadSqlHisMapping(resolveMappingPath('demo-vendor'));
  const base = vendor.observations[0]!;
  const row = { ID: 1, 'idx.TEST_INDEX_CODE': 'HBSAG', VALUE: 'Âm tính', 'req.FINISH_TIME': 20240305093000, NORMAL_TEXT: 'Âm tính', LOW: '3.9000', HIGH: null };

  it('reads one range for everyone, with text, and numbers from DECIMAL text', () => {
    const mapping = { ...base, referenceRange: { ranges: [{ low: 'LOW', high: 'HIGH', text: 'NORMAL_TEXT', appliesTo: null }] } };
    expect(toObservation(row, mapping)?.referenceRange).toEqual([{ low: 3.9, high: null, text: 'Âm tính', appliesTo: null }]);
  });

  it('has no referenceRange field when the mapping declares none', () => {
    expect(toObservation(row, { ...base, referenceRange: null })).not.toHaveProperty('referenceRange');
  });

  it('reports a malformed result time as a problem with its field and mapping key, and reads it as null', () => {
    const problems: { field: string; mappingKey: string; expected: string }[] = [];
    const observation = toObservation({ ...row, 'req.FINISH_TIME': 20240305096100 }, base, problems);
    expect(observation?.effectiveDateTime).toBeNull();
    expect(problems).toEqual([{ field: 'effectiveDateTime', mappingKey: 'observations[0].effective', expected: 'yyyyMMddHHmmss' }]);
  });
});
