import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { subscribe } from 'node:diagnostics_channel';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';
import type { ClinicalAdapter } from '../adapters/sdk/ClinicalAdapter';
import { CountingAdapter } from '../adapters/sdk/CountingAdapter';
import { createLogger } from '../core/logging/logger';
import type { DemoHospital } from '../demo/hospitals/DemoHospital';
import type { DemoHospitalOfKindOptions } from '../demo/hospitals/startDemoHospitalOfKind';
import { DEMO_FACILITIES, DEMO_SEED, generatePopulation } from '../demo/population/generatePopulation';
import type { DemoFacility } from '../demo/population/types';
import { startDemoNetwork, type DemoNetwork } from '../demo/startDemoNetwork';
import { issueDevelopmentToken } from '../gateway/auth/developmentAuth';
import type { LoadSourcesArguments, LoadSourcesMessage } from './analytics/loadSourcesProcess';
import type { SourceProcessArguments, SourceProcessCommand, SourceProcessMessage } from './analytics/sourceProcess';
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
 * BENCH_RUNS=3): five synthetic hospitals in this process. BENCH_ANALYTICS_SOURCES=real puts each
 * of the five hospitals on another kind of source, each hospital in a process of its own
 * (bench/analytics/sourceProcess.ts), so that this process's RSS is the gateway's: sql-his on a
 * real PostgreSQL server (vendor schema) and on a real MariaDB server (legacy schema), a Medplum
 * FHIR server, a folder of QĐ 130 XML files indexed in PostgreSQL, and the synthetic adapter.
 * The population is streamed into them by bench/analytics/loadSourcesProcess.ts (COPY, multi-row
 * INSERTs, files; never the whole population in one process). Databases are named
 * `analytics1m_<pid>` (BENCH_PG_URL, BENCH_MYSQL_URL) and dropped at the end.
 * BENCH_FHIR_MAX_PEOPLE caps the people loaded into the FHIR server (its repository is in memory);
 * the results say how many encounters it served.
 */
const PEOPLE = Number(process.env.BENCH_ANALYTICS_PEOPLE ?? 25_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const REAL_SOURCES = process.env.BENCH_ANALYTICS_SOURCES === 'real';
const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const MYSQL_ADMIN_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const DB_NAME = `analytics1m_${process.pid}`;
/** People generated and written per chunk by the loader. */
const CHUNK_PEOPLE = Number(process.env.BENCH_CHUNK_PEOPLE ?? 2_000);
const FHIR_MAX_PEOPLE = process.env.BENCH_FHIR_MAX_PEOPLE === undefined ? undefined : Number(process.env.BENCH_FHIR_MAX_PEOPLE);
/** The FHIR process stops loading past this heap (MB; BENCH_FHIR_MAX_HEAP_MB) and serves what it holds: the machine's memory budget. */
const FHIR_MAX_HEAP_MB = Number(process.env.BENCH_FHIR_MAX_HEAP_MB ?? 2_500);
/**
 * How long the gateway waits for a hospital, and the FHIR adapter for one HTTP request
 * (BENCH_SOURCE_TIMEOUT_MS): at scale a source that cannot answer is reported as failed on its
 * row rather than holding the run for ten minutes a question.
 */
const SOURCE_TIMEOUT_MS = Number(process.env.BENCH_SOURCE_TIMEOUT_MS ?? 600_000);
/** The FHIR adapter's own limit per HTTP request (BENCH_FHIR_TIMEOUT_MS, default SOURCE_TIMEOUT_MS). */
const FHIR_TIMEOUT_MS = Number(process.env.BENCH_FHIR_TIMEOUT_MS ?? SOURCE_TIMEOUT_MS);
/** Which kind of source each facility runs on with BENCH_ANALYTICS_SOURCES=real. */
const REAL_KINDS: Readonly<Record<string, { readonly kind: SourceProcessArguments['kind']; readonly label: string }>> = {
  '01901': { kind: 'fhir', label: 'fhir-r4 (Medplum in memory, Patient, Encounter and Condition resources)' },
  '79902': { kind: 'sql-vendor', label: 'sql-his on PostgreSQL (vendor schema)' },
  '48903': { kind: 'xml130', label: 'xml130 (QĐ 130 files, index in PostgreSQL)' },
  '92904': { kind: 'sql-legacy', label: 'sql-his on MariaDB (legacy schema)' },
  '31905': { kind: 'synthetic', label: 'synthetic (in memory)' },
};
const MB = 1024 * 1024;

/** A fifth demo facility, so the encounters are spread over five sources. */
const FACILITIES: readonly DemoFacility[] = [...DEMO_FACILITIES, { code: '31905', name: 'Bệnh viện Đa khoa Cửa Cấm (benchmark)' }];

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

/** What each hospital's HTTP server wrote, and its longest request, since `reset`. */
interface SourceCounters {
  reset(): Promise<void>;
  read(): Promise<readonly { readonly bytes: number; readonly longestMs: number }[]>;
}

/** How a run's hospitals were started, for the results. */
interface RunSetup {
  readonly network: DemoNetwork;
  readonly counters: SourceCounters;
  readonly encounters: number;
  readonly recordBytes: number;
  /** The description of the population and its sources for the results section. */
  readonly describe: string;
  /** Memory of the other processes, read after the questions. */
  readonly otherMemory: () => Promise<string>;
  readonly cleanUp: () => Promise<void>;
}

async function main(): Promise<void> {
  const setup = REAL_SOURCES ? await startRealSources() : await startInProcess();
  const { network } = setup;
  let peakRss = 0;
  const rssBefore = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 100);
  const loadBefore = loadavg()[0] ?? 0;
  const token = await issueDevelopmentToken({ role: 'analyst', sub: 'bench-analytics' });
  const rows: Row[] = [];
  const hospitalCodes = network.hospitals.map((h) => h.facility.code);
  let otherMemory = '';
  // The plain count as the gateway answered it, against what the sources were given.
  let countedTotal: number | null = null;
  try {
    for (const question of QUESTIONS) {
      const times: number[] = [];
      let bytes = 0;
      let cells = 0;
      const slowest: number[][] = network.hospitals.map(() => []);
      let perSourceBytes: number[] = [];
      const failures = new Set<string>();
      for (let run = 0; run < RUNS; run += 1) {
        await setup.counters.reset();
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
        const counted = await setup.counters.read();
        perSourceBytes = counted.map((c) => c.bytes);
        bytes = perSourceBytes.reduce((a, b) => a + b, 0);
        counted.forEach((c, i) => slowest[i]?.push(c.longestMs));
        const answer = Object.values(body.data ?? {})[0];
        cells = Array.isArray(answer) ? answer.length : 1;
        if (typeof answer === 'number') countedTotal = answer;
      }
      process.stderr.write(`bench:analytics: ${question.label}: ${median(times).toFixed(0)} ms\n`);
      rows.push({ label: question.label, medianMs: median(times), sourceBytes: bytes, cells, perSourceMs: slowest.map(median), perSourceBytes, failures: [...failures] });
    }
  } finally {
    clearInterval(sampler);
    otherMemory = await setup.otherMemory().catch(() => '');
    await network.stop();
    await setup.cleanUp();
  }
  const loadAfter = loadavg()[0] ?? 0;
  const { recordBytes } = setup;
  const env = ['BENCH_ANALYTICS_SOURCES', 'BENCH_SOURCE_TIMEOUT_MS', 'BENCH_FHIR_TIMEOUT_MS', 'BENCH_FHIR_MAX_PEOPLE', 'BENCH_FHIR_MAX_HEAP_MB', 'BENCH_SOURCE_HEAP_MB', 'BENCH_CHUNK_PEOPLE']
    .filter((name) => process.env[name] !== undefined)
    .map((name) => `${name}=${process.env[name] ?? ''} `)
    .join('');
  recordBenchmarkResults(
    [
      `## Federated analytics: population questions answered at ${FACILITIES.length} sources (${new Date().toISOString().slice(0, 10)})`,
      '',
      `Command: \`${env}BENCH_ANALYTICS_PEOPLE=${PEOPLE} BENCH_RUNS=${RUNS} npm run bench:analytics\` — Node ${process.version} on this 2-core machine, which other work was loading at the same time (load average ${loadBefore.toFixed(1)} before the questions, ${loadAfter.toFixed(1)} after; times are upper bounds). ${setup.describe} The records those encounters and their conditions make as JSON: **${(recordBytes / MB).toFixed(1)} MB**. Bytes from sources: what the hospitals' HTTP servers wrote for the question (headers included), counted through \`diagnostics_channel\` where each hospital's server runs.`,
      '',
      `| Question | Median time (ms) | Bytes from sources | vs records | Cells released or suppressed | ${hospitalCodes.map((code) => `${code} (ms)`).join(' | ')} | Failed sources |`,
      `|---|---:|---:|---:|---:|${hospitalCodes.map(() => '---:|').join('')}---|`,
      ...rows.map((r) => `| ${r.label} | ${r.medianMs.toFixed(0)} | ${r.sourceBytes.toLocaleString('en')} | ${((100 * r.sourceBytes) / recordBytes).toFixed(3)} % | ${r.cells} | ${r.perSourceMs.map((ms) => ms.toFixed(0)).join(' | ')} | ${r.failures.join(', ') || '—'} |`),
      '',
      `The last columns: the median time each hospital took for its part (its HTTP server, request to response). The gateway's \`encounterCount\` (released rounded to the nearest 5): ${countedTotal === null ? 'no answer' : countedTotal.toLocaleString('en')}; the sources were given ${setup.encounters.toLocaleString('en')}${countedTotal !== null && Math.abs(countedTotal - setup.encounters) <= 2 ? ' (equal after rounding)' : ' (**not equal**: a source failed or counted otherwise)'}.`,
      '',
      'Bytes from each source (the same questions, last run):',
      '',
      `| Question | ${hospitalCodes.map((code) => `${code} bytes`).join(' | ')} |`,
      `|---|${hospitalCodes.map(() => '---:|').join('')}`,
      ...rows.map((r) => `| ${r.label} | ${r.perSourceBytes.map((b) => b.toLocaleString('en')).join(' | ')} |`),
      '',
      `Memory: this process (${REAL_SOURCES ? 'the gateway only' : 'gateway and the five synthetic hospitals, with the population'}) had an RSS of ${(rssBefore / MB).toFixed(0)} MB before the questions and a peak of ${(peakRss / MB).toFixed(0)} MB while they ran (sampled every 100 ms)${otherMemory ? `; ${otherMemory}` : ''}.`,
      '',
      'Counts (encounters, conditions) move as cells: their bytes grow with the number of cells, not of records. Distinct-patient counts move one keyed pseudonym per person and cell from each source (so the gateway can count a person treated at several hospitals once): their bytes grow with the people counted — still a fraction of the records, but not constant (docs/analytics.md, "What moves from the hospitals to the gateway").',
      '',
    ].join('\n'),
  );
}

/** Five synthetic hospitals and the gateway in this process, the population held here. */
async function startInProcess(): Promise<RunSetup> {
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
  const network = await startDemoNetwork({ logger: createLogger({ level: 'error' }), population, hospitalKinds: 'synthetic', hospitalTimeoutMs: SOURCE_TIMEOUT_MS });
  const ports = network.hospitals.map((h) => Number(new URL(h.url).port));
  const bytes = new Map<number, number>();
  const longest = new Map<number, number>();
  // Bytes each hospital server wrote on a connection, as a delta per response (keep-alive sockets).
  const written = new WeakMap<Socket, number>();
  const started = new WeakMap<IncomingMessage, number>();
  subscribe('http.server.request.start', (message) => {
    const { request } = message as { request: IncomingMessage };
    if (ports.includes(request.socket.localPort ?? -1)) started.set(request, performance.now());
  });
  subscribe('http.server.response.finish', (message) => {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    const socket = response.socket;
    const port = socket?.localPort ?? -1;
    if (!socket || !ports.includes(port)) return;
    const before = written.get(socket) ?? 0;
    written.set(socket, socket.bytesWritten);
    bytes.set(port, (bytes.get(port) ?? 0) + socket.bytesWritten - before);
    const at = started.get(request);
    if (at !== undefined) longest.set(port, Math.max(longest.get(port) ?? 0, performance.now() - at));
  });
  return {
    network,
    counters: {
      reset: () => {
        bytes.clear();
        longest.clear();
        return Promise.resolve();
      },
      read: () => Promise.resolve(ports.map((port) => ({ bytes: bytes.get(port) ?? 0, longestMs: longest.get(port) ?? 0 }))),
    },
    encounters,
    recordBytes,
    describe: `One process. ${PEOPLE.toLocaleString('en')} synthetic people (seed ${DEMO_SEED}, generated in ${generationSeconds.toFixed(0)} s), ${encounters.toLocaleString('en')} encounters over ${FACILITIES.length} synthetic hospitals (in-memory adapters behind real clinical subgraphs over HTTP, signed requests), the real gateway with default disclosure control.`,
    otherMemory: () => Promise.resolve(''),
    cleanUp: () => Promise.resolve(),
  };
}

/** The five kinds of source, filled by the loader process, each hospital in a process of its own. */
async function startRealSources(): Promise<RunSetup> {
  const databases = await createDatabases();
  const work = await mkdtemp(join(tmpdir(), 'analytics1m-'));
  let stopChildren = async (): Promise<void> => undefined;
  const cleanUp = async (): Promise<void> => {
    await stopChildren();
    await databases.drop();
    await rm(work, { recursive: true, force: true });
  };
  try {
    const codeOf = (kind: SourceProcessArguments['kind']): string => Object.entries(REAL_KINDS).find(([, k]) => k.kind === kind)?.[0] ?? '';
    const ndjsonOf = (code: string): string => join(work, `${code}.ndjson`);
    const xmlFolder = join(work, 'xml130');
    const loadArgs: LoadSourcesArguments = {
      population: { seed: DEMO_SEED, size: PEOPLE, facilities: FACILITIES },
      postgres: { facilityCode: codeOf('sql-vendor'), url: databases.postgresUrl },
      mysql: { facilityCode: codeOf('sql-legacy'), url: databases.mysqlUrl },
      xml130: { facilityCode: codeOf('xml130'), folder: xmlFolder, hosoPerFile: 1000 },
      ndjson: [codeOf('fhir'), codeOf('synthetic')].map((facilityCode) => ({ facilityCode, path: ndjsonOf(facilityCode) })),
      chunkPeople: CHUNK_PEOPLE,
    };
    // The hospitals' processes start first: the xml130 one indexes its folder while the loader fills it.
    const children = new Map<string, SourceChild>(FACILITIES.map((facility) => {
      const code = facility.code;
      const kind = REAL_KINDS[code]?.kind ?? 'synthetic';
      return [code, startSourceProcess({
        kind,
        facility,
        facilities: FACILITIES,
        seed: DEMO_SEED,
        ...(kind === 'sql-vendor' ? { databaseUrl: databases.postgresUrl } : {}),
        ...(kind === 'sql-legacy' ? { databaseUrl: databases.mysqlUrl } : {}),
        ...(kind === 'xml130' ? { folder: xmlFolder, indexUrl: databases.xmlIndexUrl } : {}),
        ...(kind === 'fhir' || kind === 'synthetic' ? { ndjson: ndjsonOf(code) } : {}),
        ...(kind === 'fhir' && FHIR_MAX_PEOPLE !== undefined ? { maxPeople: FHIR_MAX_PEOPLE } : {}),
        ...(kind === 'fhir' ? { maxHeapMb: FHIR_MAX_HEAP_MB } : {}),
        timeoutMs: kind === 'fhir' ? FHIR_TIMEOUT_MS : SOURCE_TIMEOUT_MS,
      })];
    }));
    stopChildren = async () => {
      for (const child of children.values()) await child.stop();
    };
    const loaded = await runLoader(loadArgs);
    process.stderr.write(`bench:analytics: loaded in ${(loaded.totalMs / 1000).toFixed(0)} s\n`);
    for (const child of children.values()) child.send('loaded');
    const startHospital = async (options: DemoHospitalOfKindOptions): Promise<DemoHospital> => {
      const code = options.facility.code;
      const child = children.get(code);
      if (!child) throw new Error(`no source process for ${code}`);
      child.send({ kind: 'serve', signing: options.signing, analyticsKeyHex: (options.analyticsKey ?? randomBytes(32)).toString('hex') });
      const ready = await child.ready;
      process.stderr.write(`bench:analytics: ${code} ready ${(ready.afterLoaderMs / 1000).toFixed(0)} s after the loader\n`);
      return {
        facility: options.facility,
        system: ready.system,
        url: ready.url,
        calls: new CountingAdapter(elsewhere(ready.system)),
        stop: () => child.stop(),
      };
    };
    const started = performance.now();
    const network = await startDemoNetwork({
      logger: createLogger({ level: 'error' }),
      // The hospitals hold the population; the gateway's process only what the network needs besides (no people).
      population: { seed: DEMO_SEED, facilities: [...FACILITIES], people: [] },
      hospitalKinds: 'synthetic',
      hospitalTimeoutMs: SOURCE_TIMEOUT_MS,
      startHospital,
    });
    const startSeconds = (performance.now() - started) / 1000;
    const ordered = network.hospitals.map((h) => children.get(h.facility.code) as SourceChild);
    const readies = await Promise.all(ordered.map((c) => c.ready));
    const figures = new Map(loaded.sources.map((s) => [s.facilityCode, s]));
    const fhirCode = codeOf('fhir');
    // The FHIR server may hold fewer charts than were generated for it (BENCH_FHIR_MAX_PEOPLE).
    const served = network.hospitals.map((h, i) => (h.facility.code === fhirCode ? (readies[i]?.encounters ?? 0) : (figures.get(h.facility.code)?.encounters ?? 0)));
    const encounters = served.reduce((a, b) => a + b, 0);
    const generated = loaded.sources.reduce((a, s) => a + s.encounters, 0);
    const fhirFigure = figures.get(fhirCode);
    const fhirReady = readies[network.hospitals.findIndex((h) => h.facility.code === fhirCode)];
    const fhirShare = fhirFigure && fhirReady && fhirFigure.encounters > 0 ? fhirReady.encounters / fhirFigure.encounters : 1;
    const recordBytes = loaded.sources.reduce((a, s) => a + (s.facilityCode === fhirCode ? s.recordBytes * fhirShare : s.recordBytes), 0);
    const perSource = network.hospitals.map((h, i) => {
      const figure = figures.get(h.facility.code);
      const ready = readies[i];
      return `${h.facility.code} ${REAL_KINDS[h.facility.code]?.label ?? ''}: ${(served[i] ?? 0).toLocaleString('en')} encounters${h.facility.code === fhirCode && fhirFigure && served[i] !== fhirFigure.encounters ? ` (of the ${fhirFigure.encounters.toLocaleString('en')} generated for it: loading stopped at ${FHIR_MAX_PEOPLE === undefined ? `a heap of ${FHIR_MAX_HEAP_MB.toLocaleString('en')} MB` : `BENCH_FHIR_MAX_PEOPLE=${FHIR_MAX_PEOPLE} people or a heap of ${FHIR_MAX_HEAP_MB.toLocaleString('en')} MB`})` : ''}, written by the loader in ${((figure?.writeMs ?? 0) / 1000).toFixed(0)} s, its process ready ${((ready?.afterLoaderMs ?? 0) / 1000).toFixed(0)} s after the loader`;
    });
    return {
      network,
      counters: {
        reset: () => Promise.all(ordered.map((c) => c.reset())).then(() => undefined),
        read: () => Promise.all(ordered.map((c) => c.counters())),
      },
      encounters,
      recordBytes,
      describe: `${PEOPLE.toLocaleString('en')} synthetic people (seed ${DEMO_SEED}), **${encounters.toLocaleString('en')} encounters served** over ${FACILITIES.length} hospitals${generated !== encounters ? ` (${generated.toLocaleString('en')} generated)` : ''}, each hospital (adapter, clinical subgraph, and for FHIR the server) in a process of its own, the real gateway with default disclosure control in this one; real HTTP, signed requests. Loading: one loader process streamed the population (${CHUNK_PEOPLE.toLocaleString('en')} people a chunk) into every source at once in ${(loaded.totalMs / 1000).toFixed(0)} s (peak RSS ${(loaded.peakRssBytes / MB).toFixed(0)} MB): PostgreSQL by COPY FROM STDIN, MariaDB by multi-row INSERTs, the QĐ 130 folder file by file (1,000 HOSO a file), NDJSON files for the FHIR and synthetic hospitals; the hospitals' processes ran beside the loader (the xml130 adapter indexing its folder into PostgreSQL while it filled) and finished after it (the last rescan of the folder, the FHIR process loading Medplum, the synthetic one reading its charts): the network was up ${startSeconds.toFixed(0)} s after the loader. Per hospital: ${perSource.join('; ')}.`,
      otherMemory: async () => {
        const stats = await Promise.all(ordered.map((c) => c.stats().catch(() => null)));
        return `each hospital's process, RSS at the end (peak): ${network.hospitals.map((h, i) => `${h.facility.code} ${stats[i] ? `${(stats[i].rssBytes / MB).toFixed(0)} MB (${(stats[i].peakRssBytes / MB).toFixed(0)} MB)` : 'no answer'}`).join(', ')}; the loader's peak ${(loaded.peakRssBytes / MB).toFixed(0)} MB`;
      },
      cleanUp,
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

interface Databases {
  readonly postgresUrl: string;
  /** A database of its own for the QĐ 130 index. */
  readonly xmlIndexUrl: string;
  readonly mysqlUrl: string;
  readonly drop: () => Promise<void>;
}

/** An empty database on each server, for the two sql-his hospitals, and one for the QĐ 130 index. */
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

/** Runs the loader process (bench/analytics/loadSourcesProcess.ts) to the end. */
function runLoader(args: LoadSourcesArguments): Promise<Extract<LoadSourcesMessage, { kind: 'done' }>> {
  const child = forkTs(join(__dirname, 'analytics', 'loadSourcesProcess.ts'), args, 2048);
  return new Promise((resolve, reject) => {
    let done: Extract<LoadSourcesMessage, { kind: 'done' }> | null = null;
    let reported = 0;
    child.on('message', (message: LoadSourcesMessage) => {
      if (message.kind === 'done') done = message;
      else if (message.people - reported >= 25_000) {
        reported = message.people;
        process.stderr.write(`bench:analytics: loader at ${message.people.toLocaleString('en')} people\n`);
      }
    });
    child.once('exit', (code) => (done ? resolve(done) : reject(new Error(`the loader process exited with ${String(code)}`))));
  });
}

interface SourceChild {
  send(command: SourceProcessCommand): void;
  readonly ready: Promise<Extract<SourceProcessMessage, { kind: 'ready' }>>;
  reset(): Promise<void>;
  counters(): Promise<{ readonly bytes: number; readonly longestMs: number }>;
  stats(): Promise<Extract<SourceProcessMessage, { kind: 'stats' }>>;
  stop(): Promise<void>;
}

/** A hospital's process (bench/analytics/sourceProcess.ts); its answers on the IPC channel come in the order asked. */
function startSourceProcess(args: SourceProcessArguments): SourceChild {
  const child = forkTs(join(__dirname, 'analytics', 'sourceProcess.ts'), args, Number(process.env.BENCH_SOURCE_HEAP_MB ?? 4096));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<Extract<SourceProcessMessage, { kind: 'ready' }>>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the ${args.facility.code} source process exited with ${String(code)}`)));
    child.on('message', (message: SourceProcessMessage) => {
      if (message.kind === 'ready') resolve(message);
    });
  });
  // A failed start is reported by the hospital that awaits it, not as an unhandled rejection.
  ready.catch(() => undefined);
  const ask = <K extends SourceProcessMessage['kind']>(command: string, kind: K): Promise<Extract<SourceProcessMessage, { kind: K }>> =>
    new Promise((resolve, reject) => {
      // Its event loop may still be busy with searches the gateway gave up on.
      const timer = setTimeout(() => reject(new Error(`no ${kind} from the ${args.facility.code} source process`)), 120_000);
      const listener = (message: SourceProcessMessage): void => {
        if (message.kind !== kind) return;
        clearTimeout(timer);
        child.off('message', listener);
        resolve(message as Extract<SourceProcessMessage, { kind: K }>);
      };
      child.on('message', listener);
      child.send(command);
    });
  return {
    send: (command) => {
      if (child.connected) child.send(command);
    },
    ready,
    reset: async () => {
      child.send('reset');
      // The next counters are read after the question: IPC keeps the order of messages.
      await Promise.resolve();
    },
    counters: () => ask('counters', 'counters').then(({ bytes, longestMs }) => ({ bytes, longestMs })),
    stats: () => ask('stats', 'stats'),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.disconnect();
      const timer = setTimeout(() => child.kill(), 60_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A TypeScript entry point in a process of its own (through tsx), its argument the JSON of `args`. */
function forkTs(path: string, args: object, heapMb: number): ChildProcess {
  return fork(path, [JSON.stringify(args)], {
    execArgv: ['--import', 'tsx', `--max-old-space-size=${heapMb}`],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** The adapter of a hospital served by another process: `DemoHospital.calls` cannot count its calls from here. */
function elsewhere(system: string): ClinicalAdapter {
  const refuse = (): Promise<never> => Promise.reject(new Error('this hospital is served by another process'));
  return { system, findPatients: refuse, loadResources: refuse, diagnosisCounts: refuse, encounterCount: refuse };
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
