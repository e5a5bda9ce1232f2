import { generateSigningSecret } from '../../../core/security/generateSigningSecret';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveMappingPath } from '../../../adapters/sql-his/loadSqlHisMapping';
import { openSqlHisConnection } from '../../../adapters/sql-his/openSqlHisConnection';
import type { SqlHisServerSettings } from '../../../adapters/sql-his/SqlHisConfig';
import { execute } from '../../../cli/main';
import { createVendorHisTables } from '../../../demo/his/createVendorHisTables';
import { insertRows } from '../../../demo/his/insertRows';
import { DEMO_FACILITIES } from '../../../demo/population/generatePopulation';
import { createMariaDbDatabase, createPostgresDatabase, type TestDatabase } from './testDatabases';
import { VENDOR_ROWS } from './vendorHisRows';

/**
 * `patient-graph source serve --check` on a sql-his source checks the mapping against the
 * database itself (read-only), on PostgreSQL and MariaDB: a misspelled column, a wrong format
 * and a bad filter are all reported at once, each with its mapping key; a fitting mapping passes.
 */
const facility = DEMO_FACILITIES[0] as (typeof DEMO_FACILITIES)[number];
const VENDOR_MAPPING = readFileSync(resolveMappingPath('demo-vendor'), 'utf8');
/** Rows that do not fit the mapping (malformed values, a repeating join): left out until the test that wants them. */
const MALFORMED: Readonly<Record<string, readonly Readonly<Record<string, unknown>>[]>> = {
  HIS_PATIENT: VENDOR_ROWS.HIS_PATIENT!.filter((row) => row.ID === 4),
  HIS_TREATMENT: VENDOR_ROWS.HIS_TREATMENT!.filter((row) => row.ID === 13),
  // A second extension row of one service: the join to HIS_SERE_SERV_EXT matches twice.
  HIS_SERE_SERV_EXT: VENDOR_ROWS.HIS_SERE_SERV_EXT!.filter((row) => row.ID === 2),
};

function replaceOnce(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`the vendor mapping no longer contains ${from}`);
  return text.replace(from, to);
}

const BROKEN_MAPPING = [
  ['name: { full: VIR_PATIENT_NAME }', 'name: { full: VIR_PATIENT_NAM }'],
  ['display: idx.TEST_INDEX_NAME,', 'display: idx.TEST_INDEX_NAMEX,'],
  ['end: { column: OUT_TIME, format: yyyyMMddHHmmss }', 'end: { column: OUT_TIME, format: yyyyMMdd }'],
  ['- { column: TDL_SERVICE_TYPE_ID, in: ["3", "4", "5"] }', '- { column: TDL_SERVICE_TYP_ID, in: ["3", "4", "5"] }'],
].reduce((text, [from, to]) => replaceOnce(text, from!, to!), VENDOR_MAPPING);

describe.each<[string, () => Promise<TestDatabase>, 'postgres' | 'mysql']>([
  ['PostgreSQL', createPostgresDatabase, 'postgres'],
  ['MariaDB', createMariaDbDatabase, 'mysql'],
])('source serve --check on a sql-his source (%s)', (_name, createDatabase, dialect) => {
  const dir = mkdtempSync(join(tmpdir(), 'pg-sqlhis-check-'));
  let database: TestDatabase;
  let settings: SqlHisServerSettings;

  beforeAll(async () => {
    database = await createDatabase();
    settings = { dialect, url: database.url, poolMax: 2, statementTimeoutMs: 10_000, connectTimeoutMs: 5_000 };
    const seeder = openSqlHisConnection(settings, { readOnly: false });
    try {
      await createVendorHisTables(seeder);
      for (const [table, rows] of Object.entries(VENDOR_ROWS)) await insertRows(seeder, table, rows.filter((row) => !(MALFORMED[table] ?? []).includes(row)));
    } finally {
      await seeder.close();
    }
  }, 120_000);

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await database?.drop();
  });

  async function check(mappingText: string): Promise<{ code: number; out: string[]; err: string[] }> {
    const name = `m${Math.random().toString(36).slice(2)}`;
    writeFileSync(join(dir, `${name}.mapping.yaml`), mappingText);
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

  it('passes a mapping that fits the database', async () => {
    const result = await check(VENDOR_MAPPING);
    expect(result.err).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.out.join('\n')).toMatch(/valid \(sql-his source/);
  });

  it('reports a misspelled column, a wrong format and a bad filter at once, each naming its mapping key', async () => {
    const result = await check(BROKEN_MAPPING);
    expect(result.code).toBe(1);
    const lines = result.err.slice(1);
    expect(lines).toEqual(expect.arrayContaining([
      expect.stringMatching(/^ {2}mapping\.patients: column VIR_PATIENT_NAM does not exist/),
      expect.stringMatching(/^ {2}mapping\.observations\[0\]: column idx\.TEST_INDEX_NAMEX does not exist/),
      expect.stringMatching(/^ {2}mapping\.procedures\.where\[1\]: filter does not compile/),
      expect.stringMatching(/^ {2}mapping\.encounters\.end: \d+ of \d+ sampled values do not fit the format yyyyMMdd$/),
    ]));
    expect(lines).toHaveLength(4);
    expect(result.err[0]).toMatch(/4 problems/);
  });

  it('reports codes in the database that no declared code mapping covers, each naming its mapping key; a declared default covers every code', async () => {
    const uncovered = [
      ['values: { AMBULATORY: ["1", "2"], INPATIENT: "3", SHORT_STAY: "4" }', 'values: { AMBULATORY: "2", INPATIENT: "3", SHORT_STAY: "4" }'],
      ['values: { PREPARATION: "1", IN_PROGRESS: "2", COMPLETED: "3" }', 'values: { PREPARATION: "1", IN_PROGRESS: "2" }'],
      // Gender declares `default: UNKNOWN`: a code it does not list is a decision, not a gap.
      ['values: { FEMALE: "1", MALE: "2" }', 'values: { FEMALE: "1" }'],
    ].reduce((text, [from, to]) => replaceOnce(text, from!, to!), VENDOR_MAPPING);
    const result = await check(uncovered);
    expect(result.code).toBe(1);
    expect(result.err.slice(1)).toEqual([
      '  mapping.encounters.class: 1 of 2 sampled rows hold codes no mapping covers: "1" (1); they are served as OTHER',
      expect.stringMatching(/^ {2}mapping\.procedures\.status: (\d+) of \1 sampled rows hold codes no mapping covers: "3" \(\1\); they are served as UNKNOWN$/),
    ]);
  });

  it('reports a code-table join that does not compile under its join key, and checks nothing further of that table', async () => {
    const badJoin = replaceOnce(VENDOR_MAPPING,
      '{ alias: unit, table: HIS_TEST_INDEX_UNIT, on: { column: ID, equals: idx.TEST_INDEX_UNIT_ID } }',
      '{ alias: unit, table: HIS_TEST_INDEX_UNIT, on: { column: IDX, equals: idx.TEST_INDEX_UNIT_ID } }');
    const result = await check(badJoin);
    expect(result.code).toBe(1);
    expect(result.err.slice(1)).toEqual([expect.stringMatching(/^ {2}mapping\.observations\[0\]\.joins\.unit: join to HIS_TEST_INDEX_UNIT does not compile: /)]);
  });

  it('reports values in the database that do not fit a declared format, and a join that repeats rows', async () => {
    const seeder = openSqlHisConnection(settings, { readOnly: false });
    try {
      for (const [table, rows] of Object.entries(MALFORMED)) await insertRows(seeder, table, rows);
    } finally {
      await seeder.close();
    }
    const result = await check(VENDOR_MAPPING);
    expect(result.code).toBe(1);
    // Soft-deleted rows are not sampled: 3 live patients, 3 live treatments.
    expect(result.err.slice(1)).toEqual([
      '  mapping.patients.birthDate: 1 of 3 sampled values do not fit the format yyyyMMddHHmmss',
      '  mapping.encounters.start: 1 of 3 sampled values do not fit the format yyyyMMddHHmmss',
      '  mapping.observations[1].joins: 1 of 2 sampled rows repeat an id: a join matches several rows (each join must match at most one)',
    ]);
  });
});

describe('source serve --check on a sql-his source whose database cannot be reached', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pg-sqlhis-check-down-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fails (exit 1) instead of calling the config valid, and --config-only checks the config alone', async () => {
    const config = join(dir, 'hospital.yaml');
    writeFileSync(config, [
      `facility: { code: "${facility.code}", name: "${facility.name}" }`,
      'adapter: { kind: sql-his, dialect: postgres, url: "postgres://reader@127.0.0.1:1/his", mapping: demo-vendor, connectTimeoutMs: 2000 }',
      `signing: { secret: "${generateSigningSecret()}" }`,
    ].join('\n'));
    const run = async (args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await execute(['source', 'serve', ...args], { out: (t) => out.push(t), err: (t) => err.push(t) });
      return { code, out, err };
    };
    const checked = await run(['--config', config, '--check']);
    expect(checked.code).toBe(1);
    expect(checked.err.slice(1)).toEqual([expect.stringMatching(/^ {2}adapter\.url: the database cannot be reached: .*ECONNREFUSED/)]);
    const configOnly = await run(['--config', config, '--check', '--config-only']);
    expect(configOnly).toEqual({ code: 0, out: [`${config}: valid (sql-his source for facility ${facility.code})`], err: [] });
  }, 60_000);
});
