import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { createSqlHisAdapter } from '../../../adapters/sql-his/createSqlHisAdapter';
import { openSqlHisConnection } from '../../../adapters/sql-his/openSqlHisConnection';
import { parseSqlHisMapping } from '../../../adapters/sql-his/parseSqlHisMapping';
import type { SqlHisAdapter } from '../../../adapters/sql-his/SqlHisAdapter';
import type { SqlHisServerSettings } from '../../../adapters/sql-his/SqlHisConfig';
import type { SqlHisExecutor } from '../../../adapters/sql-his/SqlHisConnection';
import { execute } from '../../../cli/main';
import { ConfigReader } from '../../../core/config/ConfigReader';
import { silentLogger } from '../../../core/logging/logger';
import { compareBirthDates } from '../../../core/matching/compareBirthDates';
import { parseBirthDate } from '../../../core/matching/parseBirthDate';
import { generateSigningSecret } from '../../../core/security/generateSigningSecret';
import { insertRows } from '../../../demo/his/insertRows';
import { DEMO_FACILITIES } from '../../../demo/population/generatePopulation';
import { createMariaDbDatabase, createPostgresDatabase, type TestDatabase } from './testDatabases';

/**
 * Mapping forms of adapters/sql-his/README.md held against real rows on PostgreSQL and MariaDB:
 * `isNull` and `not` row filters, a constant diagnosis role in a diagnosis child table, `dd/MM/yyyy`
 * text and BIGINT `yyyyMMddHHmm` start columns, year-only birth dates (`yyyy`, and `yyyyMMdd` with
 * month and day `00`), and `source serve --check` naming the mapping key of a missing `via` table.
 */
const facility = DEMO_FACILITIES[0] as (typeof DEMO_FACILITIES)[number];

const MAPPING_YAML = `
patients:
  table: bn
  where:
    - { column: ngay_xoa, isNull: true }          # a deleted registration has a deletion date
  id: ma_bn
  nationalId: so_cccd
  name: { full: ho_ten }
  birthDate: { column: nam_sinh, format: yyyy }
  gender: { column: gioi_tinh, values: { MALE: "1", FEMALE: "2" } }
encounters:
  - table: kham_cu
    idPrefix: "cu-"
    where:
      - not: { column: huy, equals: "1" }          # keeps huy 0 and NULL
      - { column: ngay_vao, isNull: false }
    id: ma_lk
    patientKey: ma_bn
    status: { constant: FINISHED }
    class: { constant: AMBULATORY }
    start: { column: ngay_vao, format: dd/MM/yyyy }
    diagnoses:
      table: chan_doan
      encounterKey: ma_lk
      code: { column: ma_benh, display: ten_benh, system: ICD10 }
      role: { constant: PRIMARY }         # not the default (SECONDARY): an ignored constant shows
      rank: stt
  - table: kham_moi
    idPrefix: "moi-"
    where:
      - not: { column: gio_vao, isNull: true }
    id: ma_lk
    patientKey: ma_bn
    status: { constant: FINISHED }
    class: { constant: INPATIENT }
    start: { column: gio_vao, format: yyyyMMddHHmm }
`;

/** The same mapping, with the birth date read from a text \`yyyyMMdd\` column (QĐ 130 NGAY_SINH, \`00\` for unknown). */
const YYYYMMDD_BIRTH_YAML = MAPPING_YAML.replace('birthDate: { column: nam_sinh, format: yyyy }', 'birthDate: { column: ngay_sinh, format: yyyyMMdd }');

/** A procedures table whose patient key lives on a parent table that does not exist. */
const MISSING_VIA_YAML = `${MAPPING_YAML}
procedures:
  table: thu_thuat
  id: id
  patientKey: { column: ma_bn, via: { table: kham_khong_co, key: ma_lk, foreignKey: ma_lk } }
  code: { column: ma_pttt, display: ten_pttt, system: ICD9CM }
  status: { constant: COMPLETED }
  performed: { column: ngay_th, format: yyyyMMddHHmm }
`;

function mappingOf(yaml: string) {
  return parseSqlHisMapping(ConfigReader.root(parse(yaml), 'forms.mapping.yaml'), 'forms.mapping.yaml');
}

async function createTables(executor: SqlHisExecutor): Promise<void> {
  const { schema } = executor.db;
  await schema.createTable('bn')
    .addColumn('ma_bn', 'varchar(10)', (c) => c.primaryKey())
    .addColumn('so_cccd', 'varchar(12)')
    .addColumn('ho_ten', 'varchar(100)')
    .addColumn('nam_sinh', 'varchar(4)')
    .addColumn('ngay_sinh', 'varchar(8)')
    .addColumn('gioi_tinh', 'varchar(1)')
    .addColumn('ngay_xoa', 'varchar(8)')
    .execute();
  await schema.createTable('kham_cu')
    .addColumn('ma_lk', 'varchar(20)', (c) => c.primaryKey())
    .addColumn('ma_bn', 'varchar(10)')
    .addColumn('ngay_vao', 'varchar(10)')
    .addColumn('huy', 'smallint')
    .execute();
  await schema.createTable('chan_doan')
    .addColumn('id', 'bigint', (c) => c.primaryKey())
    .addColumn('ma_lk', 'varchar(20)')
    .addColumn('ma_benh', 'varchar(10)')
    .addColumn('ten_benh', 'varchar(200)')
    .addColumn('stt', 'integer')
    .execute();
  await schema.createTable('kham_moi')
    .addColumn('ma_lk', 'bigint', (c) => c.primaryKey())
    .addColumn('ma_bn', 'varchar(10)')
    .addColumn('gio_vao', 'bigint')
    .execute();
  await schema.createTable('thu_thuat')
    .addColumn('id', 'bigint', (c) => c.primaryKey())
    .addColumn('ma_lk', 'varchar(20)')
    .addColumn('ma_pttt', 'varchar(10)')
    .addColumn('ten_pttt', 'varchar(200)')
    .addColumn('ngay_th', 'varchar(12)')
    .execute();
}

const ROWS: Readonly<Record<string, readonly Readonly<Record<string, unknown>>[]>> = {
  bn: [
    { ma_bn: '1', so_cccd: '001080000001', ho_ten: 'Nguyễn Văn An', nam_sinh: '1980', ngay_sinh: '19800000', gioi_tinh: '1', ngay_xoa: null },
    { ma_bn: '2', so_cccd: '001185000002', ho_ten: 'Trần Thị Bình', nam_sinh: '1985', ngay_sinh: '19850315', gioi_tinh: '2', ngay_xoa: null },
    // Deleted: never matched.
    { ma_bn: '3', so_cccd: '001090000003', ho_ten: 'Lê Văn Cường', nam_sinh: '1990', ngay_sinh: '19900101', gioi_tinh: '1', ngay_xoa: '20240101' },
  ],
  kham_cu: [
    { ma_lk: '11', ma_bn: '1', ngay_vao: '05/03/2024', huy: 0 },
    { ma_lk: '12', ma_bn: '1', ngay_vao: '31/12/2023', huy: null },
    { ma_lk: '13', ma_bn: '1', ngay_vao: '07/03/2024', huy: 1 },   // cancelled
    { ma_lk: '14', ma_bn: '1', ngay_vao: null, huy: 0 },            // no admission date
  ],
  chan_doan: [
    { id: 1, ma_lk: '11', ma_benh: 'I10', ten_benh: 'Tăng huyết áp', stt: 2 },
    { id: 2, ma_lk: '11', ma_benh: 'E11', ten_benh: 'Đái tháo đường típ 2', stt: 1 },
    { id: 3, ma_lk: '12', ma_benh: 'J06', ten_benh: 'Viêm đường hô hấp trên cấp', stt: 1 },
    { id: 4, ma_lk: '13', ma_benh: 'J18', ten_benh: 'Viêm phổi', stt: 1 },
  ],
  kham_moi: [
    { ma_lk: 21, ma_bn: '1', gio_vao: 202403050732 },
    { ma_lk: 22, ma_bn: '1', gio_vao: null },
    { ma_lk: 23, ma_bn: '2', gio_vao: 202412312359 },
  ],
  thu_thuat: [{ id: 1, ma_lk: '11', ma_pttt: '89.52', ten_pttt: 'Điện tâm đồ', ngay_th: '202403051000' }],
};

const ICD10 = 'http://hl7.org/fhir/sid/icd-10';

describe.each<[string, () => Promise<TestDatabase>, 'postgres' | 'mysql']>([
  ['PostgreSQL', createPostgresDatabase, 'postgres'],
  ['MariaDB', createMariaDbDatabase, 'mysql'],
])('sql-his mapping forms against real rows (%s)', (_name, createDatabase, dialect) => {
  const dir = mkdtempSync(join(tmpdir(), 'pg-sqlhis-forms-'));
  let database: TestDatabase;
  let settings: SqlHisServerSettings;
  const adapters: SqlHisAdapter[] = [];

  function adapterOf(yaml: string): SqlHisAdapter {
    const adapter = createSqlHisAdapter({ kind: 'sql-his', connection: settings, mapping: mappingOf(yaml) }, { logger: silentLogger, facility });
    adapters.push(adapter);
    return adapter;
  }

  async function encountersOf(adapter: SqlHisAdapter, patientId: string) {
    const found = await adapter.loadResources('encounters', [patientId]);
    return [...found].map((r) => r.resource).sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  beforeAll(async () => {
    database = await createDatabase();
    settings = { dialect, url: database.url, poolMax: 2, statementTimeoutMs: 10_000, connectTimeoutMs: 5_000 };
    const seeder = openSqlHisConnection(settings, { readOnly: false });
    try {
      await createTables(seeder);
      for (const [table, rows] of Object.entries(ROWS)) await insertRows(seeder, table, rows);
    } finally {
      await seeder.close();
    }
  }, 120_000);

  afterAll(async () => {
    for (const adapter of adapters) await adapter.close();
    rmSync(dir, { recursive: true, force: true });
    await database?.drop();
  });

  it('applies `isNull` and `not` row filters to real rows: no deleted patient, no cancelled or undated encounter, NULL flags kept', async () => {
    const adapter = adapterOf(MAPPING_YAML);
    const found = await adapter.findPatients({ nationalIds: ['001080000001', '001090000003'], socialInsuranceNumbers: [], birthDates: [] });
    expect(found.map((p) => p.localId)).toEqual(['1']);
    // huy 0 and huy NULL are served (`not` keeps NULLs); huy 1 and a NULL ngay_vao are not; a NULL gio_vao is not.
    expect((await encountersOf(adapter, '1')).map((e) => e.id)).toEqual(['cu-11', 'cu-12', 'moi-21']);
    expect(await adapter.encounterCount({ from: null, to: null })).toBe(4);
  });

  it('serves a constant diagnosis role for every row of a diagnosis child table, ranked by its column', async () => {
    const encounters = await encountersOf(adapterOf(MAPPING_YAML), '1');
    expect(encounters.find((e) => e.id === 'cu-11')?.diagnoses).toEqual([
      { code: { system: ICD10, code: 'E11', display: 'Đái tháo đường típ 2' }, role: 'PRIMARY', rank: 1 },
      { code: { system: ICD10, code: 'I10', display: 'Tăng huyết áp' }, role: 'PRIMARY', rank: 2 },
    ]);
    expect(encounters.find((e) => e.id === 'cu-12')?.diagnoses).toEqual([
      { code: { system: ICD10, code: 'J06', display: 'Viêm đường hô hấp trên cấp' }, role: 'PRIMARY', rank: 1 },
    ]);
  });

  it('reads `dd/MM/yyyy` text and BIGINT `yyyyMMddHHmm` start columns as Viet Nam times, and windows counts on them', async () => {
    const adapter = adapterOf(MAPPING_YAML);
    const starts = Object.fromEntries((await encountersOf(adapter, '1')).map((e) => [e.id, e.period.start]));
    expect(starts).toEqual({ 'cu-11': '2024-03-05T00:00:00+07:00', 'cu-12': '2023-12-31T00:00:00+07:00', 'moi-21': '2024-03-05T07:32:00+07:00' });
    expect((await encountersOf(adapter, '2')).map((e) => [e.id, e.period.start])).toEqual([['moi-23', '2024-12-31T23:59:00+07:00']]);
    // 2024: cu-11, moi-21, moi-23 (cu-12 is in 2023); from March 5th: the same three; in 2023: cu-12.
    expect(await adapter.encounterCount({ from: '2024-01-01', to: '2024-12-31' })).toBe(3);
    expect(await adapter.encounterCount({ from: '2024-03-05', to: '2024-12-31' })).toBe(3);
    expect(await adapter.encounterCount({ from: '2023-01-01', to: '2023-12-31' })).toBe(1);
  });

  it.each([
    ['`yyyy`', MAPPING_YAML],
    ['`yyyyMMdd` with month and day 00', YYYYMMDD_BIRTH_YAML],
  ])('reads a year-only birth date from a %s column as YYYY, compared by the matcher as year-only', async (_format, yaml) => {
    const found = await adapterOf(yaml).findPatients({ nationalIds: ['001080000001', '001185000002'], socialInsuranceNumbers: [], birthDates: [] });
    const birthDates = Object.fromEntries(found.map((p) => [p.localId, p.birthDate]));
    expect(birthDates).toEqual(yaml === MAPPING_YAML ? { 1: '1980', 2: '1985' } : { 1: '1980', 2: '1985-03-15' });
    const served = parseBirthDate(birthDates[1] as string);
    expect(served).toEqual({ kind: 'year', year: '1980' });
    expect(compareBirthDates(served!, parseBirthDate('1980-05-17')!)).toBe('yearOnly');
    expect(compareBirthDates(served!, parseBirthDate('1981-05-17')!)).toBe('disagree');
  });

  async function check(yaml: string): Promise<{ code: number; out: string[]; err: string[] }> {
    const name = `m${Math.random().toString(36).slice(2)}`;
    writeFileSync(join(dir, `${name}.mapping.yaml`), yaml);
    const config = join(dir, `${name}.yaml`);
    writeFileSync(config, [
      `facility: { code: "${facility.code}", name: "${facility.name}" }`,
      `adapter: { kind: sql-his, dialect: ${dialect}, url: "${database.url}", mapping: ${name}.mapping.yaml }`,
      `signing: { secret: "${generateSigningSecret()}" }`,
    ].join('\n'));
    const out: string[] = [];
    const err: string[] = [];
    const code = await execute(['source', 'serve', '--config', config, '--check'], { out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, out, err };
  }

  it('source serve --check passes these forms on the database, and reports a missing parent (`via`) table under its mapping key', async () => {
    const fits = await check(MAPPING_YAML);
    expect(fits.err).toEqual([]);
    expect(fits.code).toBe(0);
    const missing = await check(MISSING_VIA_YAML);
    expect(missing.code).toBe(1);
    expect(missing.err.slice(1)).toEqual([expect.stringMatching(/^ {2}mapping\.procedures(\[0\])?\.patientKey\.via: table kham_khong_co cannot be read: /)]);
  });
});
