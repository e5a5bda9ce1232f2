import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { ageBand } from '../../../adapters/sdk/population/ageBand';
import type { PseudonymBasis } from '../../../adapters/sdk/population/patientPseudonym';
import type { PopulationQuery, PopulationRow } from '../../../adapters/sdk/population/PopulationQuery';
import { createSqlHisAdapter } from '../../../adapters/sql-his/createSqlHisAdapter';
import { loadSqlHisMapping, resolveMappingPath } from '../../../adapters/sql-his/loadSqlHisMapping';
import { openSqlHisConnection } from '../../../adapters/sql-his/openSqlHisConnection';
import type { SqlHisAdapter } from '../../../adapters/sql-his/SqlHisAdapter';
import type { SqlHisExecutor } from '../../../adapters/sql-his/SqlHisConnection';
import { silentLogger } from '../../../core/logging/logger';
import { seedLegacyHis } from '../../../demo/his/seedLegacyHis';
import { seedModernHis } from '../../../demo/his/seedModernHis';
import { seedVendorHis } from '../../../demo/his/seedVendorHis';
import { createDemoPopulation, DEMO_FACILITIES } from '../../../demo/population/generatePopulation';
import { facilityRecordsOf } from '../../../demo/population/facilityRecordsOf';
import { toVietnamDate } from '../../../core/time/vietnamTime';
import { pgliteBackend, serverBackend, type Backend } from './sqlHisBackends';

/**
 * Population questions grouped in SQL (adapters/sql-his/populationGrouping.ts) against the same
 * questions read per encounter, on the same database: the cells must be identical, and the grouped
 * statements must read fewer rows. The vendor schema (BIGINT yyyyMMddHHmmss, row diagnoses with a
 * `;` list, soft deletes) on PostgreSQL, MariaDB and PGlite; the legacy schema (text yyyyMMddHHmm,
 * a diagnosis child table) on MariaDB and PGlite; the modern one (native timestamps, a child table
 * with a rank) on PostgreSQL and PGlite.
 */
const population = createDemoPopulation(300);
const facility = DEMO_FACILITIES[0] as (typeof DEMO_FACILITIES)[number];
type Schema = 'vendor' | 'legacy' | 'modern';
const SEEDERS = { vendor: seedVendorHis, legacy: seedLegacyHis, modern: seedModernHis } as const;
const MAPPINGS = { vendor: 'demo-vendor', legacy: 'demo-legacy', modern: 'demo-modern' } as const;

const q = (measure: PopulationQuery['measure'], groupBy: PopulationQuery['groupBy'], extra: Partial<PopulationQuery> = {}): PopulationQuery =>
  ({ measure, groupBy, from: null, to: null, icd10Prefixes: null, encounterClasses: null, ...extra });

/** Sex and age band read in the grouped statement (populationGrouping `traits`), with every other shape beside them. */
const AGE_BAND_QUESTIONS: readonly [string, PopulationQuery][] = [
  ['encounters by age band and sex', q('ENCOUNTERS', ['AGE_BAND', 'SEX'])],
  ['conditions by age band and month with a prefix filter in a window', q('CONDITIONS', ['AGE_BAND', 'MONTH'], { icd10Prefixes: ['E11', 'I1', 'J'], from: '2024-03-15', to: '2025-06-30' })],
  ['patients by province and age band', q('PATIENTS', ['PROVINCE', 'AGE_BAND'])],
  ['E11 encounters by age band and class', q('ENCOUNTERS', ['AGE_BAND', 'ENCOUNTER_CLASS'], { icd10Prefixes: ['E11'] })],
];

/**
 * Birth dates a HIS really holds beside valid ones, written over the first three patients' (in the
 * column's type) before the adapters open: a year-only date (QĐ 130's `0000` for day and month:
 * counted as 1 July), a month 13 (invalid: no age band), and one after every encounter (no age
 * band). Each with the birth date the mapping decodes it to, for the direct count. The modern
 * schema's DATE column cannot hold them (and its native dates are grouped per person anyway).
 */
const DOUBTFUL_BIRTHS: Readonly<Record<Schema, { table: string; id: string; code: string; column: string; values: readonly [string | number, string | null][] } | null>> = {
  vendor: { table: 'HIS_PATIENT', id: 'ID', code: 'PATIENT_CODE', column: 'DOB', values: [[19_800_000_000_000, '1980'], [19_801_345_000_000, null], [20_990_101_000_000, '2099-01-01']] },
  legacy: { table: 'benh_nhan', id: 'ma_bn', code: 'ma_bn', column: 'ngay_sinh', values: [['19800000', '1980'], ['19801345', null], ['20990101', '2099-01-01']] },
  modern: null,
};

/** Writes DOUBTFUL_BIRTHS; returns the decoded birth date of each changed patient, by local patient id. */
async function writeDoubtfulBirths(writer: SqlHisExecutor, schema: Schema): Promise<Map<string, string | null>> {
  const changed = new Map<string, string | null>();
  const doubtful = DOUBTFUL_BIRTHS[schema];
  if (doubtful === null) return changed;
  const { table, id, code, column, values } = doubtful;
  const ids = await sql<{ id: unknown; code: unknown }>`select ${sql.ref(id)} as id, ${sql.ref(code)} as code from ${sql.table(table)} order by ${sql.ref(id)}`.execute(writer.db);
  for (const [i, [value, decoded]] of values.entries()) {
    const row = ids.rows[i];
    await sql`update ${sql.table(table)} set ${sql.ref(column)} = ${value} where ${sql.ref(id)} = ${row?.id}`.execute(writer.db);
    changed.set(String(row?.code), decoded);
  }
  return changed;
}

/** Every shape the grouping distinguishes: no date, day (age band), month, person, row or child-table codes, filters and windows. */
const QUESTIONS: readonly [string, PopulationQuery][] = [
  ['encounters by facility and class', q('ENCOUNTERS', ['FACILITY', 'ENCOUNTER_CLASS'])],
  ['encounters in a window, no dimension', q('ENCOUNTERS', [], { from: '2024-03-15', to: '2025-06-30' })],
  ['patients by sex and age band', q('PATIENTS', ['SEX', 'AGE_BAND'])],
  ['encounters by month in a window that starts mid-month', q('ENCOUNTERS', ['MONTH'], { from: '2024-01-15', to: '2025-12-31' })],
  ['encounters by quarter and year of outpatients', q('ENCOUNTERS', ['QUARTER', 'PROVINCE'], { encounterClasses: ['AMBULATORY'] })],
  ['conditions by chapter', q('CONDITIONS', ['ICD10_CHAPTER'])],
  ['conditions by code with a prefix filter', q('CONDITIONS', ['ICD10_CODE', 'YEAR'], { icd10Prefixes: ['E11', 'I1', 'J'] })],
  ['patients by year with a prefix filter', q('PATIENTS', ['YEAR'], { icd10Prefixes: ['E11', 'I1'] })],
  ['encounters by category', q('ENCOUNTERS', ['ICD10_CATEGORY', 'SEX'])],
  ['encounters by code, J and E only, in a window', q('ENCOUNTERS', ['ICD10_CODE'], { icd10Prefixes: ['J', 'E1'], from: '2024-06-01', to: null })],
  ...AGE_BAND_QUESTIONS,
];

/** A stand-in for the network key's HMAC: what matters here is that both paths hash the same bases. */
const pseudonymOf = (basis: PseudonymBasis): string => createHash('sha256').update(JSON.stringify(basis)).digest('hex').slice(0, 32);

function sorted(rows: readonly PopulationRow[]): PopulationRow[] {
  return rows.map((r) => ({ ...r, pseudonyms: r.pseudonyms === null ? null : [...r.pseudonyms].sort() }))
    .sort((a, b) => JSON.stringify(a.values).localeCompare(JSON.stringify(b.values)));
}

describe.each<[string, Schema, () => Promise<Backend>]>([
  ['vendor schema on PostgreSQL', 'vendor', () => serverBackend('postgres')],
  ['vendor schema on MariaDB', 'vendor', () => serverBackend('mysql')],
  ['vendor schema on PGlite', 'vendor', pgliteBackend],
  ['legacy schema on MariaDB', 'legacy', () => serverBackend('mysql')],
  ['legacy schema on PGlite', 'legacy', pgliteBackend],
  ['modern schema on PostgreSQL', 'modern', () => serverBackend('postgres')],
  ['modern schema on PGlite', 'modern', pgliteBackend],
])('sql-his population grouped in SQL: %s', (_name, schema, openBackend) => {
  let backend: Backend;
  let grouped: SqlHisAdapter;
  let rows: SqlHisAdapter;
  let changedBirths = new Map<string, string | null>();

  beforeAll(async () => {
    backend = await openBackend();
    const { settings, pglite } = backend;
    const writer = openSqlHisConnection(settings, { readOnly: false, ...(pglite ? { pglite } : {}) });
    try {
      await SEEDERS[schema](writer, population, facility.code);
      changedBirths = await writeDoubtfulBirths(writer, schema);
    } finally {
      await writer.close();
    }
    const config = { kind: 'sql-his' as const, connection: settings, mapping: loadSqlHisMapping(resolveMappingPath(MAPPINGS[schema])) };
    const dependencies = { logger: silentLogger, facility, ...(pglite ? { pglite } : {}) };
    grouped = createSqlHisAdapter(config, dependencies);
    rows = createSqlHisAdapter(config, { ...dependencies, population: 'rows' });
  }, 120_000);

  afterAll(async () => {
    await grouped?.close();
    await rows?.close();
    await backend?.cleanup();
  });

  it('counts encounters by age band in one statement whose rows are its cells, equal to a direct count over the generated population', async () => {
    const expected = new Map<string, number>();
    for (const { person, record } of facilityRecordsOf(population, facility.code)) {
      const birthDate = changedBirths.has(record.localPatientId) ? (changedBirths.get(record.localPatientId) ?? null) : person.birthDate;
      for (const encounter of record.resources.encounters) {
        const band = ageBand(birthDate, encounter.period.start === null ? null : toVietnamDate(new Date(encounter.period.start))) ?? 'none';
        expected.set(band, (expected.get(band) ?? 0) + 1);
      }
    }
    const before = grouped.stats();
    const answer = await grouped.population(q('ENCOUNTERS', ['AGE_BAND']), pseudonymOf);
    const after = grouped.stats();
    expect(Object.fromEntries(answer.map((row) => [row.values[0] ?? 'none', row.count]))).toEqual(Object.fromEntries(expected));
    // With the age band computed in SQL: one statement whose rows are the cells (by the class columns
    // too, which every group keeps, and the few doubtful birth dates'), not the encounters. The modern
    // schema's native dates are grouped per person and day, then its patients read by id (two statements).
    const encounters = [...expected.values()].reduce((sum, n) => sum + n, 0);
    expect(after.statements - before.statements).toBe(schema === 'modern' ? 2 : 1);
    if (schema !== 'modern') expect((after.rowsRead - before.rowsRead) * 3).toBeLessThan(encounters);
  });

  it.each(QUESTIONS)('answers "%s" with the same cells as reading every encounter', async (_question, query) => {
    const [fromGroups, fromRows] = await Promise.all([grouped.population(query, pseudonymOf), rows.population(query, pseudonymOf)]);
    expect(fromRows.length).toBeGreaterThan(0);
    expect(sorted(fromGroups)).toEqual(sorted(fromRows));
  });

  it.each(AGE_BAND_QUESTIONS)('answers "%s" like reading every encounter, three birth dates being year-only, invalid or after the encounters (vendor, legacy)', async (_question, query) => {
    expect(changedBirths.size).toBe(DOUBTFUL_BIRTHS[schema]?.values.length ?? 0);
    const [fromGroups, fromRows] = await Promise.all([grouped.population(query, pseudonymOf), rows.population(query, pseudonymOf)]);
    expect(fromRows.length).toBeGreaterThan(0);
    expect(sorted(fromGroups)).toEqual(sorted(fromRows));
  });

  it('reads fewer rows from the database for a grouped question, with one statement per encounter table (plus the patients it needs)', async () => {
    const query = q('ENCOUNTERS', ['MONTH', 'ENCOUNTER_CLASS']);
    const before = { grouped: grouped.stats(), rows: rows.stats() };
    await Promise.all([grouped.population(query, pseudonymOf), rows.population(query, pseudonymOf)]);
    const read = { grouped: grouped.stats().rowsRead - before.grouped.rowsRead, rows: rows.stats().rowsRead - before.rows.rowsRead };
    expect(read.grouped).toBeGreaterThan(0);
    expect(read.grouped * 2).toBeLessThan(read.rows);
    expect(grouped.stats().statements - before.grouped.statements).toBe(1);
  });
});
