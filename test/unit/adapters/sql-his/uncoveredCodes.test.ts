import { ConfigReader } from '../../../../core/config/ConfigReader';
import { parseSqlHisMapping } from '../../../../adapters/sql-his/parseSqlHisMapping';
import { declaredCodeMaps, uncoveredCodes } from '../../../../adapters/sql-his/uncoveredCodes';

const mapping = parseSqlHisMapping(ConfigReader.root({
  mapping: {
    patients: { table: 'pt', id: 'ID', gender: { column: 'SEX', values: { FEMALE: '1', MALE: '2' } } },
    encounters: {
      table: 'visit', id: 'ID', patientKey: 'PID',
      start: { column: 'IN_TIME', format: 'yyyyMMddHHmmss' },
      class: { column: 'KIND', values: { AMBULATORY: '1', INPATIENT: '3' }, when: [{ column: 'ER', equals: '1', value: 'EMERGENCY' }] },
      status: { constant: 'FINISHED' },
      diagnoses: {
        table: 'dx', encounterKey: 'VISIT_ID',
        code: { column: 'CODE', system: { column: 'SYS', map: [{ value: '10', system: 'ICD10' }] } },
        role: { column: 'MAIN', values: { PRIMARY: '1', SECONDARY: '0' }, default: 'SECONDARY' },
      },
    },
  },
}).object('mapping'));
const encounters = mapping.encounters[0]!;

describe('uncoveredCodes', () => {
  it('finds every declared code map of a section by walking it, without the sections other statements read', () => {
    expect(declaredCodeMaps(mapping.patients).map((m) => m.field.key)).toEqual(['mapping.patients.gender']);
    expect(declaredCodeMaps(encounters, new Set(['joins', 'where', 'diagnoses'])).map((m) => m.field.key)).toEqual(['mapping.encounters.class']);
    const diagnoses = encounters.diagnoses!;
    expect(declaredCodeMaps(diagnoses).map((m) => `${m.kind}:${m.field.key}`)).toEqual(['code-system:mapping.encounters.diagnoses.code.system', 'enumeration:mapping.encounters.diagnoses.role']);
  });

  it('reports codes no mapping covers with their counts and what they are served as; NULL, empty and `when` rows are covered', () => {
    const rows = [{ KIND: 1 }, { KIND: '9' }, { KIND: 9 }, { KIND: 'X', ER: '0' }, { KIND: 'Y', ER: '1' }, { KIND: null }, { KIND: ' ' }];
    expect(uncoveredCodes(rows, declaredCodeMaps(encounters, new Set(['diagnoses'])))).toEqual([
      { key: 'mapping.encounters.class', servedAs: 'OTHER', rows: 3, codes: new Map([['9', 2], ['X', 1]]) },
    ]);
  });

  it('reports code-system values outside the map, and never an enumeration with a declared default', () => {
    const rows = [{ SYS: '10', MAIN: '7' }, { SYS: '9', MAIN: '8' }];
    expect(uncoveredCodes(rows, declaredCodeMaps(encounters.diagnoses!))).toEqual([
      { key: 'mapping.encounters.diagnoses.code.system', servedAs: 'a coding without system', rows: 1, codes: new Map([['9', 1]]) },
    ]);
  });
});
