import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { loadavg } from 'node:os';
import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';
import { createLogger } from '../core/logging/logger';
import type { DemoHospital } from '../demo/hospitals/DemoHospital';
import { DEMO_FHIR_ADAPTER_SETTINGS, startFhirDemoHospital } from '../demo/hospitals/startFhirDemoHospital';
import { startDemoHospitalOfKind, type DemoHospitalOfKindOptions } from '../demo/hospitals/startDemoHospitalOfKind';
import { startSqlDemoHospital } from '../demo/hospitals/startSqlDemoHospital';
import { DEMO_FACILITIES, DEMO_SEED, generatePopulation } from '../demo/population/generatePopulation';
import { issueDevelopmentToken } from '../gateway/auth/developmentAuth';
import { startDemoNetwork } from '../demo/startDemoNetwork';
import { recordBenchmarkResults } from './recordBenchmarkResults';

/**
 * Federated analytics (docs/analytics.md): population questions over synthetic encounters spread
 * over five synthetic hospitals, through the real gateway over real HTTP. For each question: the
 * time of the answer (median of BENCH_RUNS), and the bytes the hospitals sent to the gateway for
 * it (counted at the hospitals' HTTP servers, headers included), against the size of the records
 * the question counts (the encounters and conditions of those hospitals as JSON). Results go to
 * bench/RESULTS.md.
 *
 * Run: `npm run bench:analytics` (BENCH_ANALYTICS_PEOPLE=25000 people, about 100,000 encounters;
 * BENCH_RUNS=3). BENCH_ANALYTICS_SOURCES=real puts each of the five hospitals on another kind of
 * source: sql-his on a real PostgreSQL server (vendor schema) and on a real MariaDB server (legacy
 * schema), each in a database of its own dropped at the end (BENCH_PG_URL, BENCH_MYSQL_URL), a
 * Medplum FHIR server in this process, a folder of QĐ 130 XML files, and the synthetic adapter.
 */
const PEOPLE = Number(process.env.BENCH_ANALYTICS_PEOPLE ?? 25_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const REAL_SOURCES = process.env.BENCH_ANALYTICS_SOURCES === 'real';
const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const MYSQL_ADMIN_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const DB_NAME = `bench_analytics_${process.pid}`;
/** Which kind of source each facility runs on with BENCH_ANALYTICS_SOURCES=real. */
const REAL_KINDS: Readonly<Record<string, string>> = {
  '01901': 'fhir-r4 (Medplum, in process)',
  '79902': 'sql-his on PostgreSQL (vendor schema)',
  '48903': 'xml130 (QĐ 130 files)',
  '92904': 'sql-his on MariaDB (legacy schema)',
  '31905': 'synthetic (in memory)',
};
const MB = 1024 * 1024;

/** A fifth demo facility, so the encounters are spread over five sources. */
const FACILITIES = [...DEMO_FACILITIES, { code: '31905', name: 'Bệnh viện Đa khoa Cửa Cấm (benchmark)' }];

const QUESTIONS: readonly { readonly label: string; readonly query: string }[] = [
  { label: 'encounter total', query: '{ encounterCount }' },
  { label: 'encounters by facility × month', query: '{ population(measure: ENCOUNTERS, groupBy: [FACILITY, MONTH]) { key count suppressed } }' },
  { label: 'conditions by ICD-10 chapter × sex', query: '{ population(measure: CONDITIONS, groupBy: [ICD10_CHAPTER, SEX]) { key count suppressed } }' },
  { label: 'E11 patients by province × age band (distinct)', query: '{ population(measure: PATIENTS, groupBy: [PROVINCE, AGE_BAND], icd10Prefixes: ["E11"]) { key count suppressed } }' },
  { label: 'all patients by province × age band (distinct)', query: '{ population(measure: PATIENTS, groupBy: [PROVINCE, AGE_BAND]) { key count suppressed } }' },
];

interface Row {
  readonly label: string;
  readonly medianMs: number;
  readonly sourceBytes: number;
  readonly cells: number;
  /** Median time of each hospital's answer, in the order of `network.hospitals`. */
  readonly perSourceMs: readonly number[];
  /** Sources whose part failed (`facility CODE`): their cells are missing from the answer. */
  readonly failures: readonly string[];
}

async function main(): Promise<void> {
  const generationStarted = performance.now();
  const population = generatePopulation({ seed: DEMO_SEED, size: PEOPLE, facilities: FACILITIES });
  const generationSeconds = (performance.now() - generationStarted) / 1000;
  let encounters = 0;
  let recordBytes = 0;
  for (const person of population.people) {
    for (const record of person.records) {
      encounters += record.resources.encounters.length;
      recordBytes += Buffer.byteLength(JSON.stringify(record.resources.encounters)) + Buffer.byteLength(JSON.stringify(record.resources.conditions));
    }
  }

  const loadStarted = performance.now();
  const databases = REAL_SOURCES ? await createDatabases() : null;
  const network = await startDemoNetwork({
    logger: createLogger({ level: 'error' }),
    population,
    hospitalKinds: 'synthetic',
    hospitalTimeoutMs: 600_000,
    ...(databases ? { startHospital: oneAtATime((options: DemoHospitalOfKindOptions) => startRealSource(options, databases)) } : {}),
  }).catch(async (error: unknown) => {
    await databases?.drop();
    throw error;
  });
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  const loadBefore = loadavg()[0] ?? 0;
  const hospitalPorts = new Set(network.hospitals.map((h) => Number(new URL(h.url).port)));
  let sourceBytes = 0;
  // Bytes each hospital server wrote on a connection, as a delta per response (keep-alive sockets).
  const written = new WeakMap<Socket, number>();
  subscribe('http.server.response.finish', (message) => {
    const { response } = message as { request: IncomingMessage; response: ServerResponse };
    const socket = response.socket;
    if (!socket || !hospitalPorts.has(socket.localPort ?? -1)) return;
    const before = written.get(socket) ?? 0;
    written.set(socket, socket.bytesWritten);
    sourceBytes += socket.bytesWritten - before;
  });
  // Time each hospital took for its part of the question: request start to response finish, per port.
  const started = new WeakMap<IncomingMessage, number>();
  const sourceMs = new Map<number, number>();
  subscribe('http.server.request.start', (message) => {
    const { request } = message as { request: IncomingMessage };
    if (hospitalPorts.has(request.socket.localPort ?? -1)) started.set(request, performance.now());
  });
  subscribe('http.server.response.finish', (message) => {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    const start = started.get(request);
    const port = response.socket?.localPort ?? -1;
    if (start !== undefined) sourceMs.set(port, Math.max(sourceMs.get(port) ?? 0, performance.now() - start));
  });
  const portOf = (url: string): number => Number(new URL(url).port);
  const token = await issueDevelopmentToken({ role: 'analyst', sub: 'bench-analytics' });
  const rows: Row[] = [];
  const hospitalCodes: string[] = [];
  try {
    for (const question of QUESTIONS) {
      const times: number[] = [];
      let bytes = 0;
      let cells = 0;
      const slowest: number[][] = network.hospitals.map(() => []);
      const failures = new Set<string>();
      for (let run = 0; run < RUNS; run += 1) {
        sourceMs.clear();
        const bytesBefore = sourceBytes;
        const started = performance.now();
        const response = await fetch(network.gateway.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: question.query }),
        });
        const body = (await response.json()) as { data?: Record<string, unknown>; errors?: { extensions?: { code?: string; facilityCode?: string } }[] };
        times.push(performance.now() - started);
        if (!response.ok) throw new Error(`${question.label}: ${response.status} ${JSON.stringify(body.errors)}`);
        // A source that failed (a FHIR server's own timeout at scale) is reported, not hidden: the row says which.
        for (const error of body.errors ?? []) failures.add(`${error.extensions?.facilityCode ?? 'gateway'} ${error.extensions?.code ?? 'error'}`);
        // Responses finish before the gateway's answer does; wait a tick for the last channel message.
        await new Promise((resolve) => setImmediate(resolve));
        bytes = sourceBytes - bytesBefore;
        network.hospitals.forEach((h, i) => slowest[i]?.push(sourceMs.get(portOf(h.url)) ?? 0));
        const answer = Object.values(body.data ?? {})[0];
        cells = Array.isArray(answer) ? answer.length : 1;
      }
      rows.push({ label: question.label, medianMs: median(times), sourceBytes: bytes, cells, perSourceMs: slowest.map(median), failures: [...failures] });
    }
  } finally {
    hospitalCodes.push(...network.hospitals.map((h) => h.facility.code));
    await network.stop();
    await databases?.drop();
  }
  const loadAfter = loadavg()[0] ?? 0;

  const sources = population.facilities.length;
  recordBenchmarkResults(
    [
      `## Federated analytics: population questions answered at ${sources} sources (${new Date().toISOString().slice(0, 10)})`,
      '',
      `Command: \`${REAL_SOURCES ? 'BENCH_ANALYTICS_SOURCES=real ' : ''}BENCH_ANALYTICS_PEOPLE=${PEOPLE} BENCH_RUNS=${RUNS} npm run bench:analytics\` — one Node ${process.version} process on this 2-core machine, which other work was loading at the same time (load average ${loadBefore.toFixed(1)} before the questions, ${loadAfter.toFixed(1)} after; times are upper bounds). ${PEOPLE.toLocaleString('en')} synthetic people (seed ${DEMO_SEED}, generated in ${generationSeconds.toFixed(0)} s), ${encounters.toLocaleString('en')} encounters over ${sources} hospitals (${REAL_SOURCES ? `each on another kind of source: ${population.facilities.map((f) => `${f.code} ${REAL_KINDS[f.code] ?? 'synthetic'}`).join(', ')}; loaded in ${loadSeconds.toFixed(0)} s` : 'in-memory synthetic adapters'}; real clinical subgraphs over HTTP, signed requests), the real gateway with default disclosure control. The records those encounters and their conditions make as JSON: **${(recordBytes / MB).toFixed(1)} MB**. Bytes from sources: what the hospitals' HTTP servers wrote for the question (headers included), counted through \`diagnostics_channel\`.`,
      '',
      `| Question | Median time (ms) | Bytes from sources | vs records | Cells released or suppressed | ${hospitalCodes.map((code) => `${code} (ms)`).join(' | ')} | Failed sources |`,
      `|---|---:|---:|---:|---:|${hospitalCodes.map(() => '---:|').join('')}---|`,
      ...rows.map((r) => `| ${r.label} | ${r.medianMs.toFixed(0)} | ${r.sourceBytes.toLocaleString('en')} | ${((100 * r.sourceBytes) / recordBytes).toFixed(3)} % | ${r.cells} | ${r.perSourceMs.map((ms) => ms.toFixed(0)).join(' | ')} | ${r.failures.join(', ') || '—'} |`),
      '',
      'The last columns: the median time each hospital took for its part (its HTTP server, request to response).',
      '',
      'Counts (encounters, conditions) move as cells: their bytes grow with the number of cells, not of records. Distinct-patient counts move one keyed pseudonym per person and cell from each source (so the gateway can count a person treated at several hospitals once): their bytes grow with the people counted — still a fraction of the records, but not constant (docs/analytics.md, "What moves from the hospitals to the gateway").',
      '',
    ].join('\n'),
  );
}

interface Databases {
  readonly postgresUrl: string;
  readonly mysqlUrl: string;
  readonly drop: () => Promise<void>;
}

/** An empty database on each server, for the two sql-his hospitals. */
async function createDatabases(): Promise<Databases> {
  const pg = new Client({ connectionString: PG_ADMIN_URL });
  await pg.connect();
  await pg.query(`CREATE DATABASE ${DB_NAME}`);
  await pg.end();
  const mysql = await createConnection(MYSQL_ADMIN_URL);
  await mysql.query(`CREATE DATABASE ${DB_NAME} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await mysql.end();
  const postgresUrl = new URL(PG_ADMIN_URL);
  postgresUrl.pathname = `/${DB_NAME}`;
  const mysqlUrl = new URL(MYSQL_ADMIN_URL);
  mysqlUrl.pathname = `/${DB_NAME}`;
  return {
    postgresUrl: postgresUrl.toString(),
    mysqlUrl: mysqlUrl.toString(),
    drop: async () => {
      const admin = new Client({ connectionString: PG_ADMIN_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
      await admin.end();
      const connection = await createConnection(MYSQL_ADMIN_URL);
      await connection.query(`DROP DATABASE IF EXISTS ${DB_NAME}`);
      await connection.end();
    },
  };
}

/** Each facility on the kind of source REAL_KINDS names; the FHIR adapter allowed to page through every encounter. */
function startRealSource(options: DemoHospitalOfKindOptions, databases: Databases): Promise<DemoHospital> {
  const { kind: _kind, ...common } = options;
  switch (options.facility.code) {
    case '01901':
      return startFhirDemoHospital({ ...common, adapter: { ...DEMO_FHIR_ADAPTER_SETTINGS, pageSize: 1000, maxPages: 100_000, maxResources: 10_000_000, timeoutMs: 600_000 } });
    case '79902':
      return startSqlDemoHospital({ ...common, schema: 'vendor', connection: { dialect: 'postgres', url: databases.postgresUrl }, statementTimeoutMs: 600_000, connectTimeoutMs: 60_000 });
    case '48903':
      return startDemoHospitalOfKind({ ...common, kind: 'xml130' });
    case '92904':
      return startSqlDemoHospital({ ...common, schema: 'legacy', connection: { dialect: 'mysql', url: databases.mysqlUrl }, statementTimeoutMs: 600_000, connectTimeoutMs: 60_000 });
    default:
      return startDemoHospitalOfKind({ ...common, kind: 'synthetic' });
  }
}

/**
 * Starts hospitals one after the other: loading one source (writing XML files, filling Medplum)
 * blocks the event loop for seconds, and a database handshake left waiting that long is reset by
 * the server (MariaDB's connect_timeout), which failed the first runs under load.
 */
function oneAtATime<A, R>(start: (arg: A) => Promise<R>): (arg: A) => Promise<R> {
  let previous: Promise<unknown> = Promise.resolve();
  return (arg) => {
    const next = previous.then(() => start(arg));
    previous = next.catch(() => undefined);
    return next;
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

main().then(
  // Servers a failed start left open (a hospital that did start) must not keep the process alive.
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
