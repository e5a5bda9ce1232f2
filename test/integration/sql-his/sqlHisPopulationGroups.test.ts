import { createHash } from 'node:crypto';
import type { PseudonymBasis } from '../../../adapters/sdk/population/patientPseudonym';
import type { PopulationQuery, PopulationRow } from '../../../adapters/sdk/population/PopulationQuery';
import { createSqlHisAdapter } from '../../../adapters/sql-his/createSqlHisAdapter';
import { loadSqlHisMapping, resolveMappingPath } from '../../../adapters/sql-his/loadSqlHisMapping';
import { openSqlHisConnection } from '../../../adapters/sql-his/openSqlHisConnection';
import { PgliteDatabase } from '../../../adapters/sql-his/PgliteDatabase';
import type { SqlHisAdapter } from '../../../adapters/sql-his/SqlHisAdapter';
import type { SqlHisConnectionSettings } from '../../../adapters/sql-his/SqlHisConfig';
import { silentLogger } from '../../../core/logging/logger';
import { seedLegacyHis } from '../../../demo/his/seedLegacyHis';
import { seedModernHis } from '../../../demo/his/seedModernHis';
import { seedVendorHis } from '../../../demo/his/seedVendorHis';
import { createDemoPopulation, DEMO_FACILITIES } from '../../../demo/population/generatePopulation';
import { createMariaDbDatabase, createPostgresDatabase } from './testDatabases';

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
];

/** A stand-in for the network key's HMAC: what matters here is that both paths hash the same bases. */
const pseudonymOf = (basis: PseudonymBasis): string => createHash('sha256').update(JSON.stringify(basis)).digest('hex').slice(0, 32);

function sorted(rows: readonly PopulationRow[]): PopulationRow[] {
  return rows.map((r) => ({ ...r, pseudonyms: r.pseudonyms === null ? null : [...r.pseudonyms].sort() }))
    .sort((a, b) => JSON.stringify(a.values).localeCompare(JSON.stringify(b.values)));
}

interface Backend {
  readonly settings: SqlHisConnectionSettings;
  readonly pglite?: PgliteDatabase;
  cleanup(): Promise<void>;
}

async function serverBackend(dialect: 'postgres' | 'mysql'): Promise<Backend> {
  const database = await (dialect === 'postgres' ? createPostgresDatabase() : createMariaDbDatabase());
  return { settings: { dialect, url: database.url, poolMax: 2, statementTimeoutMs: 20_000, connectTimeoutMs: 5_000 }, cleanup: () => database.drop() };
}

function pgliteBackend(): Promise<Backend> {
  const pglite = PgliteDatabase.open();
  return Promise.resolve({ settings: { dialect: 'pglite', dataDir: null, statementTimeoutMs: 20_000 }, pglite, cleanup: () => pglite.close() });
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

  beforeAll(async () => {
    backend = await openBackend();
    const { settings, pglite } = backend;
    const writer = openSqlHisConnection(settings, { readOnly: false, ...(pglite ? { pglite } : {}) });
    try {
      await SEEDERS[schema](writer, population, facility.code);
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

  it.each(QUESTIONS)('answers "%s" with the same cells as reading every encounter', async (_question, query) => {
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
