import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';
import { createLogger } from '../core/logging/logger';
import { startDemoHospital } from '../demo/hospitals/startDemoHospital';
import { startSqlDemoHospital, type DemoHisSchema, type SqlDemoHospital } from '../demo/hospitals/startSqlDemoHospital';
import { createDemoPopulation, DEMO_FACILITIES } from '../demo/population/generatePopulation';
import { patientRepresentation } from '../demo/patientRepresentation';
import { recordBenchmarkResults } from './recordBenchmarkResults';
import { benchSigning, signedAutocannonRequest, signedHeaders } from './benchSigning';

/**
 * Patients per second through one sql-his hospital's clinical subgraph (real HTTP, `_entities`
 * asking every clinical kind, as the gateway does), for 1, 10 and 100 patients per request, on
 * PostgreSQL (modern schema), MariaDB (legacy schema) and PGlite (both). Each server run uses a
 * database of its own, dropped at the end. Results go to bench/RESULTS.md.
 *
 * Run: `npm run bench:sql` (BENCH_SECONDS=5, BENCH_CONNECTIONS=4 by default; BENCH_PG_URL and
 * BENCH_MYSQL_URL name the administrative connections, default this machine's servers).
 */
const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MYSQL_ADMIN_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const BATCH_SIZES = [1, 10, 100] as const;

const ENTITIES = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Patient {
      nationalId
      encounters { id class period { start end } diagnoses { code { code } role } cost { total } }
      conditions { id code { code } clinicalStatus recordedDate }
      observations { id code { code } valueQuantity { value unit } effectiveDateTime }
      medications { id medication { code } quantity { value unit } authoredOn }
      procedures { id code { code } performedDateTime }
      allergies { id code { system code } category criticality }
    }
  }
}`;

interface Backend {
  readonly label: string;
  readonly schema: DemoHisSchema;
  /** Creates what the run needs; returns the connection for the hospital (none: PGlite in memory) and a cleanup. */
  readonly prepare: () => Promise<{ connection?: { dialect: 'postgres' | 'mysql'; url: string }; cleanup: () => Promise<void> }>;
}

interface Load {
  readonly requestsPerSecond: number;
  readonly patientsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
}

interface Row extends Load {
  readonly backend: string;
  readonly batch: number;
  /** SQL statements of one request, counted alone (null for the in-memory baseline). */
  readonly statementsPerRequest: number | null;
}

const dbName = `bench_sql_his_${process.pid}`;

const BACKENDS: readonly Backend[] = [
  {
    label: 'PostgreSQL 15, modern schema',
    schema: 'modern',
    prepare: async () => {
      await withPostgres(PG_ADMIN_URL, (client) => client.query(`CREATE DATABASE ${dbName}`));
      const url = new URL(PG_ADMIN_URL);
      url.pathname = `/${dbName}`;
      return {
        connection: { dialect: 'postgres', url: url.toString() },
        cleanup: () => withPostgres(PG_ADMIN_URL, async (client) => void (await client.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`))),
      };
    },
  },
  {
    label: 'MariaDB 10.11, legacy schema',
    schema: 'legacy',
    prepare: async () => {
      await withMysql((connection) => connection.query(`CREATE DATABASE ${dbName} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`));
      const url = new URL(MYSQL_ADMIN_URL);
      url.pathname = `/${dbName}`;
      return {
        connection: { dialect: 'mysql', url: url.toString() },
        cleanup: () => withMysql(async (connection) => void (await connection.query(`DROP DATABASE IF EXISTS ${dbName}`))),
      };
    },
  },
  { label: 'PGlite (in process), modern schema', schema: 'modern', prepare: async () => ({ cleanup: async () => undefined }) },
  { label: 'PGlite (in process), legacy schema', schema: 'legacy', prepare: async () => ({ cleanup: async () => undefined }) },
];

async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 4);
  const logger = createLogger({ level: 'error' });
  const population = createDemoPopulation(300);
  const facility = DEMO_FACILITIES[0] as (typeof DEMO_FACILITIES)[number];
  const people = population.people.filter((p) => p.records.some((r) => r.facilityCode === facility.code));
  const bodies = BATCH_SIZES.map((batch) => ({ batch, body: JSON.stringify({ query: ENTITIES, variables: { representations: people.slice(0, batch).map(patientRepresentation) } }) }));
  const rows: Row[] = [];
  const skipped: string[] = [];
  // Baseline: the same subgraph over the in-memory synthetic adapter (what GraphQL alone costs).
  const baseline = await startDemoHospital({ facility, population, logger, signing: benchSigning(facility.code) });
  try {
    for (const { batch, body } of bodies) {
      await load(baseline.url, facility.code, body, batch, 1, connections);
      rows.push({ backend: 'in-memory synthetic adapter (baseline)', batch, statementsPerRequest: null, ...(await load(baseline.url, facility.code, body, batch, seconds, connections)) });
    }
  } finally {
    await baseline.stop();
  }
  for (const backend of BACKENDS) {
    let prepared: Awaited<ReturnType<Backend['prepare']>>;
    try {
      prepared = await backend.prepare();
    } catch (error) {
      skipped.push(`${backend.label}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    let hospital: SqlDemoHospital | undefined;
    try {
      hospital = await startSqlDemoHospital({ facility, population, logger, schema: backend.schema, signing: benchSigning(facility.code), ...(prepared.connection ? { connection: prepared.connection } : {}) });
      for (const { batch, body } of bodies) {
        await load(hospital.url, facility.code, body, batch, 1, connections); // warm-up: JIT, pools, prepared statements, plan caches
        await settle(hospital);
        const statementsPerRequest = await statementsOf(hospital, body);
        rows.push({ backend: backend.label, batch, statementsPerRequest, ...(await load(hospital.url, facility.code, body, batch, seconds, connections)) });
        await settle(hospital);
      }
    } finally {
      await hospital?.stop();
      await prepared.cleanup();
    }
  }
  report(rows, skipped, { seconds, connections, patients: people.length });
}

async function load(url: string, target: string, body: string, batch: number, seconds: number, connections: number): Promise<Load> {
  const result = await autocannon({ url, connections, duration: seconds, requests: [signedAutocannonRequest(target, body)] });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    patientsPerSecond: Math.round(result.requests.average * batch),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

/** The statements one request costs, sent alone so nothing else is counted. */
async function statementsOf(hospital: SqlDemoHospital, body: string): Promise<number> {
  const before = hospital.adapter.stats().statements;
  const response = await fetch(hospital.url, { method: 'POST', headers: signedHeaders(hospital.facility.code, body), body });
  await response.text();
  return hospital.adapter.stats().statements - before;
}

/** autocannon stops without waiting for requests in flight: let the hospital finish them. */
async function settle(hospital: SqlDemoHospital): Promise<void> {
  let last = -1;
  while (hospital.adapter.stats().statements !== last) {
    last = hospital.adapter.stats().statements;
    await sleep(300);
  }
}


function report(rows: readonly Row[], skipped: readonly string[], run: { seconds: number; connections: number; patients: number }): void {
  const lines = [
    `### sql-his hospital subgraph — ${new Date().toISOString().slice(0, 10)}`,
    '',
    `Command: \`BENCH_SECONDS=${run.seconds} BENCH_CONNECTIONS=${run.connections} npm run bench:sql\` (one Node process on this 2-core machine: the hospital subgraph, PGlite's worker thread and the load generator; PostgreSQL and MariaDB on the same machine). One hospital, ${run.patients} seeded patients; each request is \`_entities\` for N of them asking all six clinical kinds. "statements/request" is counted at the adapter (Kysely) for one request sent alone. The baseline is the same subgraph over the in-memory synthetic adapter: what the GraphQL layer alone costs.`,
    '',
    '| source | patients/request | patients/s | req/s | p50 ms | p99 ms | statements/request | errors |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.backend} | ${r.batch} | ${r.patientsPerSecond} | ${r.requestsPerSecond} | ${r.p50Ms} | ${r.p99Ms} | ${r.statementsPerRequest ?? '—'} | ${r.errors} |`),
    ...(skipped.length > 0 ? ['', ...skipped.map((s) => `Skipped ${s}`)] : []),
    '',
  ];
  recordBenchmarkResults(lines.join('\n'));
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
  const connection = await createConnection({ uri: MYSQL_ADMIN_URL });
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
