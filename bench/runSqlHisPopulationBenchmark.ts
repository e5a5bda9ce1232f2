import { createHash } from 'node:crypto';
import { loadavg } from 'node:os';
import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';
import type { PseudonymBasis } from '../adapters/sdk/population/patientPseudonym';
import type { PopulationQuery } from '../adapters/sdk/population/PopulationQuery';
import { createSqlHisAdapter } from '../adapters/sql-his/createSqlHisAdapter';
import { loadSqlHisMapping, resolveMappingPath } from '../adapters/sql-his/loadSqlHisMapping';
import { openSqlHisConnection } from '../adapters/sql-his/openSqlHisConnection';
import { PgliteDatabase } from '../adapters/sql-his/PgliteDatabase';
import type { SqlHisAdapter } from '../adapters/sql-his/SqlHisAdapter';
import type { SqlHisConnectionSettings } from '../adapters/sql-his/SqlHisConfig';
import { silentLogger } from '../core/logging/logger';
import { seedLegacyHis } from '../demo/his/seedLegacyHis';
import { seedModernHis } from '../demo/his/seedModernHis';
import { seedVendorHis } from '../demo/his/seedVendorHis';
import { createDemoPopulation, DEMO_FACILITIES } from '../demo/population/generatePopulation';
import { recordBenchmarkResults } from './recordBenchmarkResults';

/**
 * Population questions at one sql-his hospital: grouped in SQL (the default) against reading every
 * encounter (`population: 'rows'`, the way before), on the same database — rows and values the
 * database hands to the adapter, and the time of one question (median of BENCH_RUNS). Vendor
 * schema on PostgreSQL (BIGINT times, row diagnoses), legacy schema on MariaDB (text times, a
 * diagnosis child table), modern schema on PGlite (native timestamps). Results go to bench/RESULTS.md.
 *
 * Run: `npm run bench:sql-population` (BENCH_PEOPLE=2000, BENCH_RUNS=3 by default).
 */
const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MYSQL = { host: '127.0.0.1', port: 3306, user: 'root' } as const;
const dbName = `bench_sql_pop_${process.pid}`;

const q = (measure: PopulationQuery['measure'], groupBy: PopulationQuery['groupBy'], extra: Partial<PopulationQuery> = {}): PopulationQuery =>
  ({ measure, groupBy, from: null, to: null, icd10Prefixes: null, encounterClasses: null, ...extra });

const QUESTIONS: readonly [string, PopulationQuery][] = [
  ['ENCOUNTERS by MONTH, ENCOUNTER_CLASS', q('ENCOUNTERS', ['MONTH', 'ENCOUNTER_CLASS'])],
  ['PATIENTS by SEX, AGE_BAND', q('PATIENTS', ['SEX', 'AGE_BAND'])],
  ['ENCOUNTERS by AGE_BAND, SEX', q('ENCOUNTERS', ['AGE_BAND', 'SEX'])],
  ['CONDITIONS by ICD10_CHAPTER', q('CONDITIONS', ['ICD10_CHAPTER'])],
  ['PATIENTS by YEAR, E11/I1 only', q('PATIENTS', ['YEAR'], { icd10Prefixes: ['E11', 'I1'] })],
  // lead() over each patient's inpatient stays in SQL (readmissionCandidates) against every encounter of the read window read.
  ['READMISSIONS (30 days) by MONTH, 2025', q('READMISSIONS', ['MONTH'], { from: '2025-01-01', to: '2025-12-31', readmissionDays: 30 })],
];

type Schema = 'vendor' | 'legacy' | 'modern';
const SEEDERS = { vendor: seedVendorHis, legacy: seedLegacyHis, modern: seedModernHis } as const;

interface Backend {
  readonly label: string;
  readonly schema: Schema;
  prepare(): Promise<{ settings: SqlHisConnectionSettings; pglite?: PgliteDatabase; cleanup: () => Promise<void> }>;
}

const BACKENDS: readonly Backend[] = [
  {
    label: 'PostgreSQL, vendor schema',
    schema: 'vendor',
    prepare: async () => {
      await withPostgres(PG_ADMIN_URL, (client) => client.query(`CREATE DATABASE ${dbName}`));
      const url = new URL(PG_ADMIN_URL);
      url.pathname = `/${dbName}`;
      return {
        settings: { dialect: 'postgres', url: url.toString(), poolMax: 2, statementTimeoutMs: 60_000, connectTimeoutMs: 5_000 },
        cleanup: () => withPostgres(PG_ADMIN_URL, async (client) => void (await client.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`))),
      };
    },
  },
  {
    label: 'MariaDB, legacy schema',
    schema: 'legacy',
    prepare: async () => {
      await withMysql((connection) => connection.query(`CREATE DATABASE ${dbName} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`));
      return {
        settings: { dialect: 'mysql', url: `mysql://${MYSQL.user}@${MYSQL.host}:${MYSQL.port}/${dbName}`, poolMax: 2, statementTimeoutMs: 60_000, connectTimeoutMs: 5_000 },
        cleanup: () => withMysql(async (connection) => void (await connection.query(`DROP DATABASE IF EXISTS ${dbName}`))),
      };
    },
  },
  {
    label: 'PGlite, modern schema',
    schema: 'modern',
    prepare: () => {
      const pglite = PgliteDatabase.open();
      return Promise.resolve({ settings: { dialect: 'pglite', dataDir: null, statementTimeoutMs: 60_000 }, pglite, cleanup: () => pglite.close() });
    },
  },
];

interface Measure {
  readonly rows: number;
  readonly values: number;
  readonly ms: number;
}

const pseudonymOf = (basis: PseudonymBasis): string => createHash('sha256').update(JSON.stringify(basis)).digest('hex').slice(0, 32);

async function measure(adapter: SqlHisAdapter, query: PopulationQuery, runs: number): Promise<Measure> {
  const before = adapter.stats();
  await adapter.population(query, pseudonymOf);
  const after = adapter.stats();
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = process.hrtime.bigint();
    await adapter.population(query, pseudonymOf);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { rows: after.rowsRead - before.rowsRead, values: after.valuesRead - before.valuesRead, ms: times[Math.floor(times.length / 2)] ?? 0 };
}

async function main(): Promise<void> {
  const people = Number(process.env.BENCH_PEOPLE ?? 2000);
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const population = createDemoPopulation(people);
  const facility = DEMO_FACILITIES[0] as (typeof DEMO_FACILITIES)[number];
  const encounters = population.people.flatMap((p) => p.records.filter((r) => r.facilityCode === facility.code)).reduce((n, r) => n + r.resources.encounters.length, 0);
  const loadBefore = loadavg()[0] ?? 0;
  const lines: string[] = [];
  const skipped: string[] = [];
  for (const backend of BACKENDS) {
    let prepared: Awaited<ReturnType<Backend['prepare']>>;
    try {
      prepared = await backend.prepare();
    } catch (error) {
      skipped.push(`${backend.label}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    const { settings, pglite } = prepared;
    const adapters: SqlHisAdapter[] = [];
    try {
      const writer = openSqlHisConnection(settings, { readOnly: false, ...(pglite ? { pglite } : {}) });
      try {
        await SEEDERS[backend.schema](writer, population, facility.code);
      } finally {
        await writer.close();
      }
      const config = { kind: 'sql-his' as const, connection: settings, mapping: loadSqlHisMapping(resolveMappingPath(`demo-${backend.schema}`)) };
      const dependencies = { logger: silentLogger, facility, ...(pglite ? { pglite } : {}) };
      const grouped = createSqlHisAdapter(config, dependencies);
      const rows = createSqlHisAdapter(config, { ...dependencies, population: 'rows' });
      adapters.push(grouped, rows);
      for (const [name, query] of QUESTIONS) {
        const before = await measure(rows, query, runs);
        const after = await measure(grouped, query, runs);
        lines.push(`| ${backend.label} | ${name} | ${before.rows} → ${after.rows} (${ratio(after.rows, before.rows)}) | ${before.values} → ${after.values} (${ratio(after.values, before.values)}) | ${before.ms.toFixed(0)} → ${after.ms.toFixed(0)} (${ratio(after.ms, before.ms)}) |`);
      }
    } finally {
      for (const adapter of adapters) await adapter.close();
      await prepared.cleanup();
    }
  }
  const loadAfter = loadavg()[0] ?? 0;
  recordBenchmarkResults([
    `### sql-his population: GROUP BY in SQL vs every encounter read — ${new Date().toISOString().slice(0, 10)}`,
    '',
    `Command: \`BENCH_PEOPLE=${people} BENCH_RUNS=${runs} npm run bench:sql-population\`. One hospital (${facility.code}) of a ${people}-person demo population: ${encounters} encounters. `
      + 'Each cell: per-encounter reading (the way before, `population: \'rows\'`) → grouped in SQL (the default), and the ratio. Rows and values are what the database handed to the adapter for one question (SqlHisAdapter.stats()); '
      + `time is the median of ${runs} runs of one question, in ms. 1-minute load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after (2 cores, shared).`,
    '',
    '| database | question | rows read | values read | ms |',
    '|---|---|---|---|---|',
    ...lines,
    ...(skipped.length > 0 ? ['', `Skipped: ${skipped.join('; ')}`] : []),
    '',
    'READMISSIONS: the SQL path returns only the candidate index stays (inpatient, discharged in the window, followed by an admission) and then the diagnoses and patients of their patients; the per-row path reads every encounter admitted from a year before the window to 30 days after it. Native timestamps (modern schema) are not cut in SQL: that row compares the per-row path with itself. ' +
    'Over a diagnosis child table (legacy, modern) the first matching diagnosis is picked in SQL with row_number(). ' +
    'SEX and AGE_BAND are read in the same statement from the joined patient row (the age band computed in SQL from the digits of the start and the birth date, where both are text or BIGINT date formats: vendor, legacy), so ENCOUNTERS by AGE_BAND and SEX reads its cells (times the class codes); PATIENTS still groups by patient (its pseudonym needs the person) and band. Native dates (modern schema) group by patient and day, the age band derived in the adapter. Native timestamps (modern schema) are grouped by their raw value, not cut to the month. Row diagnoses (vendor) are grouped by their code columns with the ICD-10 prefixes applied after decoding (matching inside a `;` list in SQL would need a split per dialect), so PATIENTS with prefixes still groups one row per patient and encounter there.',
    '',
  ].join('\n'));
}

function ratio(after: number, before: number): string {
  return before === 0 ? '—' : `${(after / before).toFixed(2)}×`;
}

async function withPostgres<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function withMysql<T>(work: (connection: Awaited<ReturnType<typeof createConnection>>) => Promise<T>): Promise<T> {
  const connection = await createConnection(MYSQL);
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
