import { ConfigError } from '../../../../core/config/ConfigError';
import { ConfigReader } from '../../../../core/config/ConfigReader';
import { CODE_SYSTEMS } from '../../../../contracts/model/clinical';
import { loadSqlHisMapping, resolveMappingPath } from '../../../../adapters/sql-his/loadSqlHisMapping';
import { parseSqlHisMapping } from '../../../../adapters/sql-his/parseSqlHisMapping';

const PATIENTS = { table: 'benh_nhan', id: 'ma_bn' };

function parse(mapping: Record<string, unknown>): ReturnType<typeof parseSqlHisMapping> {
  return parseSqlHisMapping(ConfigReader.root(mapping).object('mapping'), 'hospital.yaml');
}

function failure(mapping: Record<string, unknown>): ConfigError {
  try {
    parse(mapping);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseSqlHisMapping', () => {
  it('reads both demo mappings (the YAML files of demo/his)', () => {
    const legacy = loadSqlHisMapping(resolveMappingPath('demo-legacy'));
    const modern = loadSqlHisMapping(resolveMappingPath('demo-modern'));
    expect(legacy.patients).toMatchObject({ table: 'benh_nhan', id: 'ma_bn', birthDate: { column: 'ngay_sinh', format: 'yyyyMMdd' } });
    expect(legacy.conditions).toEqual([]);
    expect(legacy.observations[0]?.patientKey).toEqual({ column: 'ma_bn', via: { table: 'luot_kham', key: 'ma_lk', foreignKey: 'ma_lk' } });
    expect(modern.patients.insuranceNumber).toEqual({ column: 'insurance_number', bhxhColumn: 'bhxh_code' });
    expect(modern.patients.name).toEqual({ kind: 'parts', family: 'family_name', given: 'given_names' });
  });

  it('turns value maps keyed by contract value into a code table, with overrides and a fallback', () => {
    const mapping = parse({
      mapping: {
        patients: { ...PATIENTS, gender: { column: 'gioi_tinh', values: { MALE: '1', FEMALE: ['2', 'F'] }, default: 'UNKNOWN' } },
        encounters: {
          table: 'luot_kham', id: 'ma_lk', patientKey: 'ma_bn', status: { constant: 'FINISHED' },
          class: { column: 'ma_loai_kcb', values: { AMBULATORY: '01' }, when: [{ column: 'ma_doituong_kcb', equals: '2', value: 'EMERGENCY' }] },
          start: { column: 'ngay_vao', format: 'yyyyMMddHHmm' },
        },
      },
    });
    const gender = mapping.patients.gender;
    expect(gender).toEqual({ kind: 'column', column: 'gioi_tinh', values: new Map([['1', 'MALE'], ['2', 'FEMALE'], ['F', 'FEMALE']]), fallback: 'UNKNOWN', overrides: [], hasDefault: true, key: 'mapping.patients.gender' });
    expect(mapping.encounters[0]?.status).toEqual({ kind: 'constant', value: 'FINISHED' });
    expect(mapping.encounters[0]?.class).toMatchObject({ fallback: 'OTHER', overrides: [{ column: 'ma_doituong_kcb', equals: '2', value: 'EMERGENCY' }] });
  });

  it('resolves code systems by name, by URI, or per row through another column', () => {
    const mapping = parse({
      mapping: {
        patients: PATIENTS,
        conditions: { table: 'dx', id: 'id', patientKey: 'pid', code: { column: 'icd', system: 'ICD10' }, clinicalStatus: { constant: 'ACTIVE' } },
        allergies: {
          table: 'di_ung', id: 'id', patientKey: 'ma_bn',
          code: { column: 'ma', display: 'ten', system: { column: 'he_ma', map: [{ value: 'ATC', system: 'http://www.whocc.no/atc' }] } },
        },
      },
    });
    expect(mapping.conditions[0]?.code.system).toEqual({ kind: 'constant', uri: CODE_SYSTEMS.ICD10 });
    expect(mapping.allergies[0]?.code.system).toEqual({ kind: 'column', column: 'he_ma', uris: new Map([['ATC', 'http://www.whocc.no/atc']]), key: 'mapping.allergies.code.system' });
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['a table name that is not an identifier', { patients: { table: 'benh_nhan; DROP TABLE x', id: 'ma_bn' } }, 'mapping.patients.table', /table name/],
    ['a column name with a quote', { patients: { ...PATIENTS, nationalId: 'so"cccd' } }, 'mapping.patients.nationalId', /SQL identifier/],
    ['a column name too long for PostgreSQL', { patients: { ...PATIENTS, nationalId: 'x'.repeat(64) } }, 'mapping.patients.nationalId', /at most 63/],
    ['an unknown key', { patients: { ...PATIENTS, national_id: 'so_cccd' } }, 'mapping.patients.national_id', /unknown key/],
    ['an unknown kind', { patients: PATIENTS, vaccinations: {} }, 'mapping.vaccinations', /unknown key/],
    ['no patients table', { encounters: {} }, 'mapping.patients', /expected a mapping/],
    ['a date format it does not know', { patients: { ...PATIENTS, birthDate: { column: 'ngay_sinh', format: 'dd-MM-yy' } } }, 'mapping.patients.birthDate.format', /expected one of/],
    ['a timestamp birth date (look-ups need a calendar date)', { patients: { ...PATIENTS, birthDate: { column: 'ngay_sinh', format: 'timestamp' } } }, 'mapping.patients.birthDate.format', /expected one of date/],
    ['a value that is not a contract value', { patients: { ...PATIENTS, gender: { column: 'g', values: { MAN: '1' } } } }, 'mapping.patients.gender.values.MAN', /unknown key/],
    ['a numeric source code (YAML 1 is not "1")', { patients: { ...PATIENTS, gender: { column: 'g', values: { MALE: 1 } } } }, 'mapping.patients.gender.values.MALE', /quoted string/],
    ['a source code mapped twice', { patients: { ...PATIENTS, gender: { column: 'g', values: { MALE: '1', FEMALE: '1' } } } }, 'mapping.patients.gender.values.FEMALE', /already mapped to MALE/],
    ['a code system that is neither a name nor a URI', {
      patients: PATIENTS,
      procedures: { table: 'dvkt', id: 'id', patientKey: 'ma_bn', code: { column: 'ma', system: 'icd9' }, status: { constant: 'COMPLETED' } },
    }, 'mapping.procedures.code.system', /a code system/],
    ['a patient key that is neither a column nor a join', {
      patients: PATIENTS,
      procedures: { table: 'dvkt', id: 'id', patientKey: 7, code: { column: 'ma', system: 'ICD9CM' }, status: { constant: 'COMPLETED' } },
    }, 'mapping.procedures.patientKey', /column name, or \{ column, via/],
    ['an override on diagnosis roles', {
      patients: PATIENTS,
      encounters: {
        table: 'lk', id: 'ma_lk', patientKey: 'ma_bn', status: { constant: 'FINISHED' }, class: { constant: 'OTHER' }, start: { column: 'ngay_vao', format: 'yyyyMMddHHmm' },
        diagnoses: { table: 'cd', encounterKey: 'ma_lk', code: { column: 'ma', system: 'ICD10' }, role: { column: 'loai', values: { PRIMARY: 'chinh' }, when: [{ column: 'x', equals: '1', value: 'PRIMARY' }] } },
      },
    }, 'mapping.encounters.diagnoses.role.when', /not supported/],
    ['a column of a join that is not declared', {
      patients: PATIENTS,
      procedures: { table: 'dv', id: 'id', patientKey: 'ma_bn', code: { column: 'ma', display: 'dm.ten', system: 'ICD9CM' }, status: { constant: 'COMPLETED' } },
    }, 'mapping.procedures.(column)', /"dm\." names no join/],
    ['a join column whose alias.COLUMN name PostgreSQL would cut', {
      patients: { ...PATIENTS, joins: [{ alias: 'gioi_tinh_table', table: 'gt', on: { column: 'ID', equals: 'G' } }], nationalId: `gioi_tinh_table.${'X'.repeat(50)}` },
    }, 'mapping.patients.nationalId', /at most 63 characters in all/],
    ['a filter on an undeclared join', { patients: { ...PATIENTS, where: [{ column: 'x.IS_DELETE', equals: '1' }] } }, 'mapping.patients.where[0].column', /names no join/],
    ['a filter with two forms', { patients: { ...PATIENTS, where: [{ column: 'IS_DELETE', equals: '1', isNull: true }] } }, 'mapping.patients.where[0].isNull', /exactly one of/],
    ['a numeric filter value (YAML 1 is not "1")', { patients: { ...PATIENTS, where: [{ column: 'IS_DELETE', equals: 1 }] } }, 'mapping.patients.where[0].equals', /quoted string/],
    ['a join alias used twice', {
      patients: { ...PATIENTS, joins: [{ alias: 'g', table: 'gt', on: { column: 'ID', equals: 'G' } }, { alias: 'g', table: 'gt2', on: { column: 'ID', equals: 'G' } }] },
    }, 'mapping.patients.joins[1].alias', /already used/],
    ['a join whose on refers to a later join', {
      patients: { ...PATIENTS, joins: [{ alias: 'a', table: 'at', on: { column: 'ID', equals: 'b.X' } }, { alias: 'b', table: 'bt', on: { column: 'ID', equals: 'B' } }] },
    }, 'mapping.patients.joins[0].on.equals', /names no join/],
    ['two tables of one kind without distinct idPrefix', {
      patients: PATIENTS,
      procedures: [
        { table: 'dv1', id: 'id', patientKey: 'ma_bn', code: { column: 'ma', system: 'ICD9CM' }, status: { constant: 'COMPLETED' } },
        { table: 'dv2', id: 'id', patientKey: 'ma_bn', code: { column: 'ma', system: 'ICD9CM' }, status: { constant: 'COMPLETED' } },
      ],
    }, 'mapping.procedures', /distinct idPrefix/],
    ['a reference range with nothing in it', {
      patients: PATIENTS,
      observations: { table: 'xn', id: 'id', patientKey: 'ma_bn', code: { column: 'ma', system: 'LOINC' }, status: { constant: 'FINAL' }, referenceRange: { MALE: {} } },
    }, 'mapping.observations.referenceRange.MALE.low', /at least one of low, high, text/],
    ['a year-only format on an encounter time', {
      patients: PATIENTS,
      encounters: { table: 'lk', id: 'id', patientKey: 'ma_bn', status: { constant: 'FINISHED' }, class: { constant: 'OTHER' }, start: { column: 'IN_TIME', format: 'yyyy' } },
    }, 'mapping.encounters.start.format', /expected one of/],
  ])('rejects %s, naming the key', (_case, mapping, key, expectation) => {
    const error = failure({ mapping });
    expect(error.key).toBe(key);
    expect(error.message).toMatch(expectation);
    expect(error.message).toMatch(/^hospital\.yaml: /);
  });

  it('reads the vendor mapping: filters, joins, kinds from several tables, row diagnoses, identifiers, ranges by sex', () => {
    const vendor = loadSqlHisMapping(resolveMappingPath('demo-vendor'));
    expect(vendor.patients.where).toEqual([{ kind: 'not', key: 'patients.where[0]', condition: { kind: 'equals', column: 'IS_DELETE', value: '1', key: 'patients.where[0].not' } }]);
    expect(vendor.patients.identifiers).toContainEqual({ column: 'CMND_NUMBER', system: 'urn:vn:cmnd', matchAs: 'nationalId' });
    expect(vendor.medications.map((m) => [m.table, m.idPrefix])).toEqual([['HIS_EXP_MEST_MEDICINE', 'exp-'], ['HIS_SERVICE_REQ_METY', 'mety-']]);
    expect(vendor.observations[0]?.joins.map((j) => j.alias)).toEqual(['idx', 'unit', 'ss', 'req']);
    expect(vendor.observations[0]?.referenceRange?.ranges.map((r) => r.appliesTo)).toEqual(['MALE', 'FEMALE']);
    expect(vendor.encounters[0]?.diagnoses).toEqual({
      kind: 'row',
      main: { code: 'ICD_CODE', display: 'ICD_NAME' },
      secondary: { codes: 'ICD_SUB_CODE', displays: 'ICD_TEXT', separator: ';' },
      system: { kind: 'constant', uri: CODE_SYSTEMS.ICD10 },
    });
    expect(vendor.procedures[0]?.where[1]).toEqual({ kind: 'in', column: 'TDL_SERVICE_TYPE_ID', values: ['3', '4', '5'], key: 'procedures.where[1]' });
  });

  it('reads isNull filters both ways, and a constant diagnosis role', () => {
    const mapping = parse({ mapping: {
      patients: { ...PATIENTS, where: [{ column: 'NGAY_XOA', isNull: true }, { column: 'MA_BN_CU', isNull: false }] },
      encounters: {
        table: 'lk', id: 'ma_lk', patientKey: 'ma_bn', status: { constant: 'FINISHED' }, class: { constant: 'OTHER' }, start: { column: 'ngay_vao', format: 'yyyyMMddHHmmss' },
        diagnoses: { table: 'benh_kem', encounterKey: 'ma_lk', code: { column: 'ma', system: 'ICD10' }, role: { constant: 'SECONDARY' } },
      },
    } });
    expect(mapping.patients.where.map((f) => f.kind)).toEqual(['isNull', 'not']);
    expect(mapping.encounters[0]?.diagnoses).toMatchObject({ kind: 'table', role: { kind: 'constant', value: 'SECONDARY' } });
  });
});
