import { createHash } from 'node:crypto';
import type { PseudonymBasis } from '../../../adapters/sdk/population/patientPseudonym';
import type { PopulationQuery, PopulationRow } from '../../../adapters/sdk/population/PopulationQuery';
import { createSqlHisAdapter } from '../../../adapters/sql-his/createSqlHisAdapter';
import { loadSqlHisMapping, resolveMappingPath } from '../../../adapters/sql-his/loadSqlHisMapping';
import { openSqlHisConnection } from '../../../adapters/sql-his/openSqlHisConnection';
import type { SqlHisAdapter } from '../../../adapters/sql-his/SqlHisAdapter';
import { seedLegacyHis } from '../../../demo/his/seedLegacyHis';
import { seedModernHis } from '../../../demo/his/seedModernHis';
import { seedVendorHis } from '../../../demo/his/seedVendorHis';
import { silentLogger } from '../../../core/logging/logger';
import { createDemoPopulation, DEMO_FACILITIES } from '../../../demo/population/generatePopulation';
import { directCountsByMonth, FROM, TO, withScenarios } from '../../helpers/readmissionScenarios';
import { pgliteBackend, serverBackend, type Backend } from './sqlHisBackends';

/**
 * READMISSIONS in the HIS database (SqlHisQueries.readmissionCandidates: `lead()` over each
 * patient's inpatient stays) on PostgreSQL, MariaDB and PGlite, against the same question read per
 * encounter and a direct count over the seeded population with hand-made edge cases (same-day
 * transfer, open stay, readmission after the window, two in a row). The modern schema's native
 * timestamps are not cut in SQL: it answers per encounter, and must be just as exact.
 */
const population = withScenarios(createDemoPopulation(300));
const facility = DEMO_FACILITIES[0] as (typeof DEMO_FACILITIES)[number];
type Schema = 'vendor' | 'legacy' | 'modern';
const SEEDERS = { vendor: seedVendorHis, legacy: seedLegacyHis, modern: seedModernHis } as const;
const MAPPINGS = { vendor: 'demo-vendor', legacy: 'demo-legacy', modern: 'demo-modern' } as const;

const q = (extra: Partial<PopulationQuery>): PopulationQuery =>
  ({ measure: 'READMISSIONS', groupBy: ['MONTH'], from: FROM, to: TO, icd10Prefixes: null, encounterClasses: null, readmissionDays: 30, ...extra });
const QUESTIONS: readonly [string, PopulationQuery][] = [
  ['30 days, June 2025', q({})],
  ['10 days, June 2025', q({ readmissionDays: 10 })],
  ['60 days, no window', q({ from: null, to: null, readmissionDays: 60 })],
];
const pseudonymOf = (basis: PseudonymBasis): string => createHash('sha256').update(JSON.stringify(basis)).digest('hex').slice(0, 32);
const byMonth = (rows: readonly PopulationRow[]): Record<string, number> => Object.fromEntries(rows.map((r) => [r.values[0] ?? 'none', r.count]));

describe.each<[string, Schema, () => Promise<Backend>]>([
  ['vendor schema on PostgreSQL', 'vendor', () => serverBackend('postgres')],
  ['vendor schema on MariaDB', 'vendor', () => serverBackend('mysql')],
  ['vendor schema on PGlite', 'vendor', pgliteBackend],
  ['legacy schema on MariaDB', 'legacy', () => serverBackend('mysql')],
  ['legacy schema on PostgreSQL', 'legacy', () => serverBackend('postgres')],
  ['modern schema on PostgreSQL', 'modern', () => serverBackend('postgres')],
])('sql-his READMISSIONS: %s', (_name, schema, openBackend) => {
  let backend: Backend;
  let inSql: SqlHisAdapter;
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
    inSql = createSqlHisAdapter(config, dependencies);
    rows = createSqlHisAdapter(config, { ...dependencies, population: 'rows' });
  }, 120_000);

  afterAll(async () => {
    await inSql?.close();
    await rows?.close();
    await backend?.cleanup();
  });

  it.each(QUESTIONS)('answers "%s" as a direct count and as reading every encounter', async (_question, query) => {
    const expected = directCountsByMonth(population, facility.code, query.readmissionDays ?? 30, query.from, query.to);
    expect([...expected.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(5);
    const [fromSql, fromRows] = await Promise.all([inSql.population(query, pseudonymOf), rows.population(query, pseudonymOf)]);
    expect(byMonth(fromSql)).toEqual(Object.fromEntries(expected));
    expect(byMonth(fromRows)).toEqual(Object.fromEntries(expected));
  });

  it('reads only candidate index stays when the dates are cut in SQL (vendor, legacy)', async () => {
    const before = { sql: inSql.stats(), rows: rows.stats() };
    await Promise.all([inSql.population(q({}), pseudonymOf), rows.population(q({}), pseudonymOf)]);
    const read = { sql: inSql.stats().rowsRead - before.sql.rowsRead, rows: rows.stats().rowsRead - before.rows.rowsRead };
    if (schema === 'modern') expect(read.sql).toBe(read.rows);
    // Candidates, then the diagnoses of their patients (legacy: a child table) and the patients: a fraction of every encounter of the read window.
    else expect(read.sql * 3).toBeLessThan(read.rows);
  });
});
