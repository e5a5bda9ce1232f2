import {
  DummyDriver,
  Kysely,
  MysqlAdapter,
  MysqlIntrospector,
  MysqlQueryCompiler,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type CompiledQuery,
} from 'kysely';
import { loadSqlHisMapping, resolveMappingPath } from '../../../../adapters/sql-his/loadSqlHisMapping';
import type { SqlDialectName } from '../../../../adapters/sql-his/sqlDialects';
import type { SqlHisMapping } from '../../../../adapters/sql-his/SqlHisMapping';
import { populationGrouping } from '../../../../adapters/sql-his/populationGrouping';
import { SqlHisQueries, VALUES_PER_STATEMENT, type SqlHisDatabase } from '../../../../adapters/sql-his/SqlHisQueries';

/** Queries are only compiled here: a Kysely instance whose driver never connects. */
function queriesFor(dialect: SqlDialectName, mapping: SqlHisMapping): SqlHisQueries {
  const postgres = dialect !== 'mysql';
  const db = new Kysely<SqlHisDatabase>({
    dialect: {
      createAdapter: () => (postgres ? new PostgresAdapter() : new MysqlAdapter()),
      createDriver: () => new DummyDriver(),
      createIntrospector: (kysely) => (postgres ? new PostgresIntrospector(kysely) : new MysqlIntrospector(kysely)),
      createQueryCompiler: () => (postgres ? new PostgresQueryCompiler() : new MysqlQueryCompiler()),
    },
  });
  return new SqlHisQueries(db, dialect, mapping);
}

const legacy = loadSqlHisMapping(resolveMappingPath('demo-legacy'));
const modern = loadSqlHisMapping(resolveMappingPath('demo-modern'));
const HOSTILE = "'; DROP TABLE benh_nhan; --";

function compiled(queries: readonly { compile(): CompiledQuery }[]): CompiledQuery[] {
  return queries.map((query) => query.compile());
}

describe('SqlHisQueries', () => {
  it('finds patients in one MySQL statement: OR over the national IDs, RIGHT(card, 10) and birth dates, every value a placeholder', () => {
    const [query, ...more] = compiled(queriesFor('mysql', legacy).findPatients({
      nationalIds: ['001090000001', HOSTILE],
      socialInsuranceNumbers: ['0123456789'],
      birthDates: ['1990-01-02'],
    }));
    expect(more).toEqual([]);
    expect(query!.sql).toBe(
      'select `t`.`ma_bn` as `ma_bn`, `t`.`so_cccd` as `so_cccd`, `t`.`ma_the_bhyt` as `ma_the_bhyt`, `t`.`ho_ten` as `ho_ten`, `t`.`ngay_sinh` as `ngay_sinh`, `t`.`gioi_tinh` as `gioi_tinh`, `t`.`ngay_cap_nhat` as `ngay_cap_nhat` '
      + 'from `benh_nhan` as `t` where (`t`.`so_cccd` in (?, ?) or right(`t`.`ma_the_bhyt`, 10) in (?) or `t`.`ngay_sinh` in (?)) order by `t`.`ma_bn`',
    );
    expect(query!.parameters).toEqual(['001090000001', HOSTILE, '0123456789', '19900102']);
  });

  it('finds patients on PostgreSQL with one array parameter per key, through the indexed BHXH column when mapped', () => {
    const [query] = compiled(queriesFor('postgres', modern).findPatients({ nationalIds: ['001090000001'], socialInsuranceNumbers: ['0123456789'], birthDates: ['1990-01-02'] }));
    expect(query!.sql).toContain('where ("t"."national_id" = any($1) or "t"."bhxh_code" = any($2) or "t"."birth_date" = any($3))');
    expect(query!.parameters).toEqual([['001090000001'], ['0123456789'], ['1990-01-02']]);
  });

  it('skips look-ups that are empty or are not dates, and runs nothing when none is left', () => {
    const queries = queriesFor('postgres', modern);
    expect(queries.findPatients({ nationalIds: [], socialInsuranceNumbers: [], birthDates: [HOSTILE, '2024-02-30'] })).toEqual([]);
    const [query] = compiled(queries.findPatients({ nationalIds: ['001090000001'], socialInsuranceNumbers: [], birthDates: [HOSTILE] }));
    expect(query!.sql).toContain('where "t"."national_id" = any($1) order by');
  });

  it('compares QĐ 130 birth timestamps (yyyyMMddHHmm) with typed bounds of the day, never a string function (BIGINT columns have none)', () => {
    const mapping: SqlHisMapping = { ...legacy, patients: { ...legacy.patients, birthDate: { column: 'ngay_sinh', format: 'yyyyMMddHHmm', key: 'k' } } };
    const [query] = compiled(queriesFor('mysql', mapping).findPatients({ nationalIds: [], socialInsuranceNumbers: [], birthDates: ['1990-01-02'] }));
    expect(query!.sql).toContain('where (`t`.`ngay_sinh` >= ? and `t`.`ngay_sinh` <= ?) order by');
    expect(query!.sql).not.toContain('left(');
    expect(query!.parameters).toEqual(['199001020000', '199001022359']);
  });

  it('loads a kind whose table holds only the encounter key through a join to the patient key', () => {
    const [query] = compiled(queriesFor('mysql', legacy).resources('observations', legacy.observations[0]!, ['BN1', 'BN2', 'BN1']));
    expect(query!.sql).toBe(
      'select `t`.`id` as `id`, `t`.`ma_chi_so` as `ma_chi_so`, `t`.`ten_chi_so` as `ten_chi_so`, `t`.`gia_tri` as `gia_tri`, `t`.`don_vi_do` as `don_vi_do`, '
      + '`t`.`ket_luan` as `ket_luan`, `t`.`ngay_kq` as `ngay_kq`, `t`.`ma_lk` as `ma_lk`, `v`.`ma_bn` as `$patient` '
      + 'from `ket_qua_cls` as `t` inner join `luot_kham` as `v` on `v`.`ma_lk` = `t`.`ma_lk` where `v`.`ma_bn` in (?, ?) order by `t`.`id`',
    );
    expect(query!.parameters).toEqual(['BN1', 'BN2']);
  });

  it('keeps hostile values out of the SQL text: they travel only as parameters', () => {
    for (const dialect of ['postgres', 'mysql'] as const) {
      const queries = queriesFor(dialect, legacy);
      const all = compiled([
        ...queries.findPatients({ nationalIds: [HOSTILE], socialInsuranceNumbers: [HOSTILE], birthDates: [] }),
        ...queries.resources('encounters', legacy.encounters[0]!, [HOSTILE]),
        ...queries.encounterDiagnoses(legacy.encounters[0]!, [HOSTILE]),
      ]);
      expect(all).toHaveLength(3);
      for (const query of all) {
        expect(query.sql).not.toContain('DROP');
        expect(JSON.stringify(query.parameters)).toContain('DROP TABLE');
      }
    }
  });

  it('splits a MySQL batch larger than the placeholder budget, and keeps a PostgreSQL batch whole', () => {
    const ids = Array.from({ length: VALUES_PER_STATEMENT.mysql + 1 }, (_, i) => `BN${i}`);
    expect(queriesFor('mysql', legacy).resources('allergies', legacy.allergies[0]!, ids)).toHaveLength(2);
    expect(queriesFor('postgres', legacy).resources('allergies', legacy.allergies[0]!, ids)).toHaveLength(1);
  });

  it('builds nothing for an empty batch', () => {
    expect(queriesFor('mysql', legacy).resources('allergies', legacy.allergies[0]!, [])).toEqual([]);
  });

  it('joins encounter diagnoses to their encounters to select them by patient', () => {
    const [query] = compiled(queriesFor('postgres', legacy).encounterDiagnoses(legacy.encounters[0]!, ['BN1']));
    expect(query!.sql).toBe(
      'select "d"."ma_benh" as "ma_benh", "d"."ten_benh" as "ten_benh", "d"."loai" as "loai", "d"."stt" as "stt", "e"."ma_lk" as "$encounter" '
      + 'from "chan_doan" as "d" inner join "luot_kham" as "e" on "e"."ma_lk" = "d"."ma_lk" where "e"."ma_bn" = any($1)',
    );
  });

  it('counts main diagnoses with GROUP BY over the window, and encounters with COUNT', () => {
    const queries = queriesFor('mysql', legacy);
    const counts = queries.diagnosisCounts({ from: '2025-01-01', to: '2025-12-31' })[0]!.compile();
    expect(counts.sql).toBe(
      'select `d`.`ma_benh` as `$code`, max(`d`.`ten_benh`) as `$display`, count(distinct `e`.`ma_lk`) as `$count` '
      + 'from `chan_doan` as `d` inner join `luot_kham` as `e` on `e`.`ma_lk` = `d`.`ma_lk` '
      + 'where (`d`.`loai` in (?) and `e`.`ngay_vao` >= ? and `e`.`ngay_vao` < ?) group by `d`.`ma_benh`',
    );
    expect(counts.parameters).toEqual(['chinh', '202501010000', '202601010000']);
    const total = queriesFor('postgres', modern).encounterCount({ from: '2025-01-01', to: null })[0]!.compile();
    expect(total.sql).toBe('select count(*) as "$count" from "encounters" as "e" where "e"."started_at" >= $1');
    expect(total.parameters).toEqual(['2025-01-01T00:00:00+07:00']);
  });

  it('groups a population question in one parameterized statement: class, the month cut from the start, the patient key, COUNT(*)', () => {
    const grouping = { date: 'month', checkStart: false, person: true, traits: null, diagnoses: 'none' } as const;
    const statement = queriesFor('mysql', legacy).populationGroups(legacy.encounters[0]!, grouping, { from: '2025-01-01', to: null }).compile();
    expect(statement.sql).toBe(
      // The class and its `when` column (MA_DOITUONG_KCB decides EMERGENCY), the month, the patient: only live patients count (joined).
      'select `e`.`ma_loai_kcb` as `ma_loai_kcb`, `e`.`ma_doituong_kcb` as `ma_doituong_kcb`, substr(trim(cast(`e`.`ngay_vao` as char)), 1, 6) as `ngay_vao`, `e`.`ma_bn` as `$patient`, count(*) as `$count` '
      + 'from `luot_kham` as `e` inner join `benh_nhan` as `p` on `p`.`ma_bn` = `e`.`ma_bn` where `e`.`ngay_vao` >= ? '
      + 'group by `e`.`ma_loai_kcb`, `e`.`ma_doituong_kcb`, substr(trim(cast(`e`.`ngay_vao` as char)), 1, 6), `e`.`ma_bn`',
    );
    expect(statement.parameters).toEqual(['202501010000']);
  });

  it('groups SEX and AGE_BAND in the statement: the gender column and the age band from the joined patient row, no patient key, no day', () => {
    const query = { measure: 'ENCOUNTERS', groupBy: ['SEX', 'AGE_BAND'], from: null, to: null, icd10Prefixes: null, encounterClasses: null } as const;
    const grouping = populationGrouping(query, legacy.encounters[0]!, legacy.patients)!;
    expect(grouping).toMatchObject({ person: false, date: 'none', checkStart: true, traits: { sex: true, ageBand: true } });
    const statement = queriesFor('mysql', legacy).populationGroups(legacy.encounters[0]!, grouping, { from: null, to: null }).compile();
    expect(statement.sql).toContain('inner join `benh_nhan` as `p` on `p`.`ma_bn` = `e`.`ma_bn`');
    expect(statement.sql).toContain('`p`.`gioi_tinh` as `$sex_gioi_tinh`');
    expect(statement.sql).toMatch(/ div 5\) \* 5\).* as `\$ageBand`/);
    expect(statement.sql).not.toContain('$patient');
    expect(statement.parameters).toEqual([]);
    // PATIENTS still needs the person (its pseudonym), grouped by person and band rather than by person and day.
    const patients = populationGrouping({ ...query, measure: 'PATIENTS' }, legacy.encounters[0]!, legacy.patients)!;
    expect(patients).toMatchObject({ person: true, date: 'none', traits: { sex: true, ageBand: true } });
  });

  it('groups CONDITIONS over a diagnosis child table by the diagnosis code, the child rows joined to their encounters', () => {
    const grouping = { date: 'none', checkStart: false, person: false, traits: null, diagnoses: 'child-codes' } as const;
    const statement = queriesFor('postgres', modern).populationGroups(modern.encounters[0]!, grouping, { from: null, to: null }).compile();
    expect(statement.sql).toMatch(/^select .* "d"\."icd10_code" as "icd10_code", count\(\*\) as "\$count" from "encounter_diagnoses" as "d" inner join "encounters" as "e" .* group by .*"d"\."icd10_code"$/);
  });

  it('windows dd/MM/yyyy columns through their yyyyMMdd rearrangement', () => {
    const mapping: SqlHisMapping = { ...legacy, encounters: [{ ...legacy.encounters[0]!, start: { column: 'ngay_vao', format: 'dd/MM/yyyy', key: 'k' } }] };
    const total = queriesFor('mysql', mapping).encounterCount({ from: '2025-01-01', to: null })[0]!.compile();
    expect(total.sql).toContain('where concat(substr(`e`.`ngay_vao`, 7, 4), substr(`e`.`ngay_vao`, 4, 2), substr(`e`.`ngay_vao`, 1, 2)) >= ?');
    expect(total.parameters).toEqual(['20250101']);
  });

  describe('on the vendor mapping', () => {
    const vendor = loadSqlHisMapping(resolveMappingPath('demo-vendor'));

    it('applies soft-delete filters as bound parameters, keeping rows whose IS_DELETE is NULL', () => {
      const [query] = compiled(queriesFor('postgres', vendor).findPatients({ nationalIds: ['001080000001'], socialInsuranceNumbers: [], birthDates: [] }));
      expect(query!.sql).toContain('where (("t"."IS_DELETE" is null or not ("t"."IS_DELETE" = $1)) and ("t"."CCCD_NUMBER" = any($2) or "t"."CMND_NUMBER" = any($3)))');
      expect(query!.parameters).toEqual(['1', ['001080000001'], ['001080000001']]);
    });

    it('LEFT JOINs code tables and parent rows under prefixed aliases, and selects their columns under the names the mapping uses', () => {
      const [query] = compiled(queriesFor('mysql', vendor).resources('observations', vendor.observations[0]!, ['1']));
      expect(query!.sql).toContain('left join `HIS_TEST_INDEX` as `t_idx` on `t_idx`.`ID` = `t`.`TEST_INDEX_ID`');
      expect(query!.sql).toContain('left join `HIS_TEST_INDEX_UNIT` as `t_unit` on `t_unit`.`ID` = `t_idx`.`TEST_INDEX_UNIT_ID`');
      expect(query!.sql).toContain('left join `HIS_SERVICE_REQ` as `t_req` on `t_req`.`ID` = `t_ss`.`SERVICE_REQ_ID`');
      expect(query!.sql).toContain('`t_idx`.`TEST_INDEX_NAME` as `idx.TEST_INDEX_NAME`');
      expect(query!.sql).toContain('`t_req`.`FINISH_TIME` as `req.FINISH_TIME`');
      expect(query!.sql).toContain('(`t_ss`.`IS_DELETE` is null or not (`t_ss`.`IS_DELETE` = ?))');
    });

    it('discriminates one service table by an IN filter with one placeholder per value', () => {
      const [query] = compiled(queriesFor('mysql', vendor).resources('procedures', vendor.procedures[0]!, ['1']));
      expect(query!.sql).toContain('`t`.`TDL_SERVICE_TYPE_ID` in (?, ?, ?)');
      expect(query!.parameters).toEqual(['1', '1', '3', '4', '5']);
    });

    it('counts main diagnoses kept on the encounter row with GROUP BY over that table alone', () => {
      const [counts, ...more] = compiled(queriesFor('postgres', vendor).diagnosisCounts({ from: '2024-01-01', to: null }));
      expect(more).toEqual([]);
      expect(counts!.sql).toBe(
        'select "e"."ICD_CODE" as "$code", max("e"."ICD_NAME") as "$display", count(distinct "e"."ID") as "$count" from "HIS_TREATMENT" as "e" '
        + 'where ("e"."ICD_CODE" is not null and ("e"."IS_DELETE" is null or not ("e"."IS_DELETE" = $1)) and "e"."IN_TIME" >= $2) group by "e"."ICD_CODE"',
      );
      expect(counts!.parameters).toEqual(['1', '20240101000000']);
    });

    it('compiles isNull both ways, and not over a condition that is not a comparison without the NULL clause', () => {
      const mapping: SqlHisMapping = { ...vendor, patients: { ...vendor.patients, where: [
        { kind: 'isNull', column: 'DELETED_AT', key: 'a' },
        { kind: 'not', condition: { kind: 'isNull', column: 'ID', key: 'b' }, key: 'c' },
      ] } };
      const [query] = compiled(queriesFor('postgres', mapping).findPatients({ nationalIds: ['001080000001'], socialInsuranceNumbers: [], birthDates: [] }));
      expect(query!.sql).toContain('where ("t"."DELETED_AT" is null and not ("t"."ID" is null) and (');
    });

    it('compares identifier columns marked matchAs insuranceNumber on their last 10 characters, like the card column', () => {
      const mapping: SqlHisMapping = { ...vendor, patients: { ...vendor.patients, where: [], identifiers: [{ column: 'OLD_CARD', system: 'urn:x', matchAs: 'insuranceNumber' }] } };
      const [query] = compiled(queriesFor('mysql', mapping).findPatients({ nationalIds: [], socialInsuranceNumbers: ['4010123456'], birthDates: [] }));
      expect(query!.sql).toContain('where (right(`t`.`HEIN_CARD_NUMBER`, 10) in (?) or right(`t`.`OLD_CARD`, 10) in (?)) order by');
      expect(query!.parameters).toEqual(['4010123456', '4010123456']);
    });

    it('builds one statement per table of a kind merged from several tables', () => {
      const queries = queriesFor('postgres', vendor);
      expect(vendor.medications.flatMap((table) => queries.resources('medications', table, ['1']))).toHaveLength(2);
    });
  });
});
