import { fork, type ChildProcess } from 'node:child_process';
import { subscribe } from 'node:diagnostics_channel';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { loadavg } from 'node:os';
import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';
import { createLogger } from '../core/logging/logger';
import type { DemoHospital } from '../demo/hospitals/DemoHospital';
import { createFhirR4Adapter } from '../adapters/fhir-r4/createFhirR4Adapter';
import { fhirR4Config } from '../adapters/fhir-r4/FhirR4Config';
import { serveDemoHospital } from '../demo/hospitals/DemoHospital';
import { DEMO_FHIR_ADAPTER_SETTINGS } from '../demo/hospitals/startFhirDemoHospital';
import { startXml130DemoHospital } from '../demo/hospitals/startXml130DemoHospital';
import { startDemoHospitalOfKind, type DemoHospitalOfKindOptions } from '../demo/hospitals/startDemoHospitalOfKind';
import { startSqlDemoHospital } from '../demo/hospitals/startSqlDemoHospital';
import { DEMO_FACILITIES, DEMO_SEED, generatePopulation } from '../demo/population/generatePopulation';
import { issueDevelopmentToken } from '../gateway/auth/developmentAuth';
import { startDemoNetwork } from '../demo/startDemoNetwork';
import { recordBenchmarkResults } from './recordBenchmarkResults';
import type { FhirSourceArguments, FhirSourceMessage } from './analytics/fhirSourceProcess';

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
 * Medplum FHIR server in a process of its own (bench/analytics/fhirSourceProcess.ts: its work and
 * memory are not this process's), a folder of QĐ 130 XML files indexed in PostgreSQL (a third
 * database), and the synthetic adapter. Bytes are counted per source; this process's peak RSS
 * (gateway and the four other hospitals' subgraphs and adapters) is sampled while the questions run.
 */
const PEOPLE = Number(process.env.BENCH_ANALYTICS_PEOPLE ?? 25_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const REAL_SOURCES = process.env.BENCH_ANALYTICS_SOURCES === 'real';
const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const MYSQL_ADMIN_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const DB_NAME = `bench_analytics4_${process.pid}`;
/**
 * How long the gateway waits for a hospital, and the FHIR adapter for one HTTP request
 * (BENCH_SOURCE_TIMEOUT_MS): at scale a source that cannot answer is reported as failed on its
 * row rather than holding the run for ten minutes a question.
 */
const SOURCE_TIMEOUT_MS = Number(process.env.BENCH_SOURCE_TIMEOUT_MS ?? 600_000);
/** The FHIR adapter's own limit per HTTP request (BENCH_FHIR_TIMEOUT_MS, default SOURCE_TIMEOUT_MS). */
const FHIR_TIMEOUT_MS = Number(process.env.BENCH_FHIR_TIMEOUT_MS ?? SOURCE_TIMEOUT_MS);
/** Which kind of source each facility runs on with BENCH_ANALYTICS_SOURCES=real. */
const REAL_KINDS: Readonly<Record<string, string>> = {
  '01901': 'fhir-r4 (Medplum, own process)',
  '79902': 'sql-his on PostgreSQL (vendor schema)',
  '48903': 'xml130 (QĐ 130 files, index in PostgreSQL)',
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
  { label: 'encounters by age band × sex', query: '{ population(measure: ENCOUNTERS, groupBy: [AGE_BAND, SEX]) { key count suppressed } }' },
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
  /** Bytes each hospital's HTTP server wrote for the question, in the order of `network.hospitals`. */
  readonly perSourceBytes: readonly number[];
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
  // The FHIR server generates and loads its part in its own process while this one loads the others.
  const fhirSource = REAL_SOURCES ? startFhirSource({ population: { seed: DEMO_SEED, size: PEOPLE, facilities: FACILITIES }, facilityCode: '01901' }) : null;
  const loadMs = new Map<string, number>();
  const timed = (options: DemoHospitalOfKindOptions, databases: Databases): Promise<DemoHospital> => {
    const started = performance.now();
    return startRealSource(options, databases, fhirSource).then((hospital) => {
      loadMs.set(options.facility.code, performance.now() - started);
      process.stderr.write(`bench:analytics: ${options.facility.code} loaded in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
      return hospital;
    });
  };
  const network = await startDemoNetwork({
    logger: createLogger({ level: 'error' }),
    population,
    hospitalKinds: 'synthetic',
    hospitalTimeoutMs: SOURCE_TIMEOUT_MS,
    // The FHIR hospital only waits for its process: it starts beside the others.
    ...(databases ? { startHospital: oneAtATime((options: DemoHospitalOfKindOptions) => timed(options, databases), (options) => options.facility.code === '01901') } : {}),
  }).catch(async (error: unknown) => {
    fhirSource?.child.kill();
    await databases?.drop();
    throw error;
  });
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  const fhirReady = fhirSource ? await fhirSource.ready : null;
  let peakRss = 0;
  const rssBefore = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 100);
  const loadBefore = loadavg()[0] ?? 0;
  const hospitalPorts = new Set(network.hospitals.map((h) => Number(new URL(h.url).port)));
  let sourceBytes = 0;
  const bytesByPort = new Map<number, number>();
  // Bytes each hospital server wrote on a connection, as a delta per response (keep-alive sockets).
  const written = new WeakMap<Socket, number>();
  subscribe('http.server.response.finish', (message) => {
    const { response } = message as { request: IncomingMessage; response: ServerResponse };
    const socket = response.socket;
    const port = socket?.localPort ?? -1;
    if (!socket || !hospitalPorts.has(port)) return;
    const before = written.get(socket) ?? 0;
    written.set(socket, socket.bytesWritten);
    sourceBytes += socket.bytesWritten - before;
    bytesByPort.set(port, (bytesByPort.get(port) ?? 0) + socket.bytesWritten - before);
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
      let perSourceBytes: number[] = [];
      const failures = new Set<string>();
      for (let run = 0; run < RUNS; run += 1) {
        sourceMs.clear();
        bytesByPort.clear();
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
        perSourceBytes = network.hospitals.map((h) => bytesByPort.get(portOf(h.url)) ?? 0);
        network.hospitals.forEach((h, i) => slowest[i]?.push(sourceMs.get(portOf(h.url)) ?? 0));
        const answer = Object.values(body.data ?? {})[0];
        cells = Array.isArray(answer) ? answer.length : 1;
      }
      process.stderr.write(`bench:analytics: ${question.label}: ${median(times).toFixed(0)} ms\n`);
      rows.push({ label: question.label, medianMs: median(times), sourceBytes: bytes, cells, perSourceMs: slowest.map(median), perSourceBytes, failures: [...failures] });
    }
  } finally {
    clearInterval(sampler);
    hospitalCodes.push(...network.hospitals.map((h) => h.facility.code));
    await network.stop();
    await databases?.drop();
  }
  const fhirStats = fhirSource ? await fhirSource.stats().catch(() => null) : null;
  fhirSource?.child.disconnect();
  const loadAfter = loadavg()[0] ?? 0;
  const perSourceLoad = hospitalCodes.map((code) => `${code} ${((loadMs.get(code) ?? 0) / 1000).toFixed(0)} s`).join(', ');

  const sources = population.facilities.length;
  recordBenchmarkResults(
    [
      `## Federated analytics: population questions answered at ${sources} sources (${new Date().toISOString().slice(0, 10)})`,
      '',
      `Command: \`${REAL_SOURCES ? 'BENCH_ANALYTICS_SOURCES=real ' : ''}${process.env.BENCH_SOURCE_TIMEOUT_MS ? `BENCH_SOURCE_TIMEOUT_MS=${SOURCE_TIMEOUT_MS} ` : ''}${process.env.BENCH_FHIR_TIMEOUT_MS ? `BENCH_FHIR_TIMEOUT_MS=${FHIR_TIMEOUT_MS} ` : ''}BENCH_ANALYTICS_PEOPLE=${PEOPLE} BENCH_RUNS=${RUNS} npm run bench:analytics\` — one Node ${process.version} process on this 2-core machine, which other work was loading at the same time (load average ${loadBefore.toFixed(1)} before the questions, ${loadAfter.toFixed(1)} after; times are upper bounds). ${PEOPLE.toLocaleString('en')} synthetic people (seed ${DEMO_SEED}, generated in ${generationSeconds.toFixed(0)} s), ${encounters.toLocaleString('en')} encounters over ${sources} hospitals (${REAL_SOURCES ? `each on another kind of source: ${population.facilities.map((f) => `${f.code} ${REAL_KINDS[f.code] ?? 'synthetic'}`).join(', ')}; loaded in ${loadSeconds.toFixed(0)} s (per hospital, one after the other except FHIR: ${perSourceLoad}; the FHIR process generated its population in ${((fhirReady?.generateMs ?? 0) / 1000).toFixed(0)} s and loaded ${(fhirReady?.resources ?? 0).toLocaleString('en')} resources in ${((fhirReady?.loadMs ?? 0) / 1000).toFixed(0)} s)` : 'in-memory synthetic adapters'}; real clinical subgraphs over HTTP, signed requests), the real gateway with default disclosure control. The records those encounters and their conditions make as JSON: **${(recordBytes / MB).toFixed(1)} MB**. Bytes from sources: what the hospitals' HTTP servers wrote for the question (headers included), counted through \`diagnostics_channel\`.`,
      '',
      `| Question | Median time (ms) | Bytes from sources | vs records | Cells released or suppressed | ${hospitalCodes.map((code) => `${code} (ms)`).join(' | ')} | Failed sources |`,
      `|---|---:|---:|---:|---:|${hospitalCodes.map(() => '---:|').join('')}---|`,
      ...rows.map((r) => `| ${r.label} | ${r.medianMs.toFixed(0)} | ${r.sourceBytes.toLocaleString('en')} | ${((100 * r.sourceBytes) / recordBytes).toFixed(3)} % | ${r.cells} | ${r.perSourceMs.map((ms) => ms.toFixed(0)).join(' | ')} | ${r.failures.join(', ') || '—'} |`),
      '',
      'The last columns: the median time each hospital took for its part (its HTTP server, request to response).',
      '',
      'Bytes from each source (the same questions, last run):',
      '',
      `| Question | ${hospitalCodes.map((code) => `${code} bytes`).join(' | ')} |`,
      `|---|${hospitalCodes.map(() => '---:|').join('')}`,
      ...rows.map((r) => `| ${r.label} | ${r.perSourceBytes.map((b) => b.toLocaleString('en')).join(' | ')} |`),
      '',
      `Memory: this process (gateway${REAL_SOURCES ? ', and the subgraphs and adapters of the four hospitals other than FHIR' : ' and the five synthetic hospitals, with the population'}) had an RSS of ${(rssBefore / MB).toFixed(0)} MB before the questions and a peak of ${(peakRss / MB).toFixed(0)} MB while they ran (sampled every 100 ms)${fhirStats ? `; the FHIR server's own process ${(fhirStats.rssBytes / MB).toFixed(0)} MB at the end (peak ${(fhirStats.peakRssBytes / MB).toFixed(0)} MB)` : ''}.`,
      '',
      'Counts (encounters, conditions) move as cells: their bytes grow with the number of cells, not of records. Distinct-patient counts move one keyed pseudonym per person and cell from each source (so the gateway can count a person treated at several hospitals once): their bytes grow with the people counted — still a fraction of the records, but not constant (docs/analytics.md, "What moves from the hospitals to the gateway").',
      '',
    ].join('\n'),
  );
}

interface Databases {
  readonly postgresUrl: string;
  /** A database of its own for the QĐ 130 index. */
  readonly xmlIndexUrl: string;
  readonly mysqlUrl: string;
  readonly drop: () => Promise<void>;
}

/** An empty database on each server, for the two sql-his hospitals. */
async function createDatabases(): Promise<Databases> {
  const pg = new Client({ connectionString: PG_ADMIN_URL });
  await pg.connect();
  await pg.query(`CREATE DATABASE ${DB_NAME}`);
  await pg.query(`CREATE DATABASE ${DB_NAME}_xml`);
  await pg.end();
  const mysql = await createConnection(MYSQL_ADMIN_URL);
  await mysql.query(`CREATE DATABASE ${DB_NAME} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await mysql.end();
  const postgresUrl = new URL(PG_ADMIN_URL);
  postgresUrl.pathname = `/${DB_NAME}`;
  const xmlIndexUrl = new URL(PG_ADMIN_URL);
  xmlIndexUrl.pathname = `/${DB_NAME}_xml`;
  const mysqlUrl = new URL(MYSQL_ADMIN_URL);
  mysqlUrl.pathname = `/${DB_NAME}`;
  return {
    postgresUrl: postgresUrl.toString(),
    xmlIndexUrl: xmlIndexUrl.toString(),
    mysqlUrl: mysqlUrl.toString(),
    drop: async () => {
      const admin = new Client({ connectionString: PG_ADMIN_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
      await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME}_xml WITH (FORCE)`);
      await admin.end();
      const connection = await createConnection(MYSQL_ADMIN_URL);
      await connection.query(`DROP DATABASE IF EXISTS ${DB_NAME}`);
      await connection.end();
    },
  };
}

/** Each facility on the kind of source REAL_KINDS names; the FHIR adapter allowed to page through every encounter. */
async function startRealSource(options: DemoHospitalOfKindOptions, databases: Databases, fhirSource: FhirSource | null): Promise<DemoHospital> {
  const { kind: _kind, ...common } = options;
  switch (options.facility.code) {
    case '01901': {
      if (fhirSource === null) throw new Error('no FHIR source process');
      const ready = await fhirSource.ready;
      const adapter = createFhirR4Adapter(
        fhirR4Config(ready.baseUrl, { ...DEMO_FHIR_ADAPTER_SETTINGS, auth: { kind: 'bearer', token: ready.accessToken }, pageSize: 1000, maxPages: 100_000, maxResources: 10_000_000, timeoutMs: FHIR_TIMEOUT_MS }),
        { logger: common.logger, facility: common.facility },
      );
      return serveDemoHospital(common, adapter, () => Promise.resolve());
    }
    case '48903':
      return startXml130DemoHospital({ ...common, hosoPerFile: 1000, config: { watch: false, index: { kind: 'postgres', url: databases.xmlIndexUrl } } });
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
 * Starts hospitals one after the other: loading one source (writing XML files, filling a
 * database) blocks the event loop for seconds, and a database handshake left waiting that long is
 * reset by the server (MariaDB's connect_timeout), which failed the first runs under load. `beside`
 * names a start that does no loading here (it waits for another process) and runs at once.
 */
function oneAtATime<A, R>(start: (arg: A) => Promise<R>, beside: (arg: A) => boolean = () => false): (arg: A) => Promise<R> {
  let previous: Promise<unknown> = Promise.resolve();
  return (arg) => {
    if (beside(arg)) return start(arg);
    const next = previous.then(() => start(arg));
    previous = next.catch(() => undefined);
    return next;
  };
}

interface FhirSource {
  readonly child: ChildProcess;
  readonly ready: Promise<Extract<FhirSourceMessage, { kind: 'ready' }>>;
  stats(): Promise<Extract<FhirSourceMessage, { kind: 'stats' }>>;
}

/** The FHIR server's process (bench/analytics/fhirSourceProcess.ts, through tsx), with a heap large enough for its repository. */
function startFhirSource(args: FhirSourceArguments): FhirSource {
  const child = fork(join(__dirname, 'analytics', 'fhirSourceProcess.ts'), [JSON.stringify(args)], {
    execArgv: ['--import', 'tsx', `--max-old-space-size=${process.env.BENCH_FHIR_HEAP_MB ?? 8192}`],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = new Promise<Extract<FhirSourceMessage, { kind: 'ready' }>>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the FHIR source process exited with ${String(code)}`)));
    child.on('message', (message: FhirSourceMessage) => {
      if (message.kind === 'ready') resolve(message);
    });
  });
  // A failed start is reported by the hospital that awaits it, not as an unhandled rejection.
  ready.catch(() => undefined);
  return {
    child,
    ready,
    stats: () => new Promise((resolve, reject) => {
      // Its event loop may still be busy with searches the adapter gave up on.
      const timer = setTimeout(() => reject(new Error('no stats from the FHIR source process')), 60_000);
      child.on('message', (message: FhirSourceMessage) => {
        if (message.kind !== 'stats') return;
        clearTimeout(timer);
        resolve(message);
      });
      child.send('stats');
    }),
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
