import { ConfigError } from '../../../../core/config/ConfigError';
import { ConfigReader } from '../../../../core/config/ConfigReader';
import { CODE_SYSTEMS } from '../../../../core/model/clinical';
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
    expect(gender).toEqual({ kind: 'column', column: 'gioi_tinh', values: new Map([['1', 'MALE'], ['2', 'FEMALE'], ['F', 'FEMALE']]), fallback: 'UNKNOWN', overrides: [] });
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
    expect(mapping.allergies[0]?.code.system).toEqual({ kind: 'column', column: 'he_ma', uris: new Map([['ATC', 'http://www.whocc.no/atc']]) });
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
  ])('rejects %s, naming the key', (_case, mapping, key, expectation) => {
    const error = failure({ mapping });
    expect(error.key).toBe(key);
    expect(error.message).toMatch(expectation);
    expect(error.message).toMatch(/^hospital\.yaml: /);
  });
});
