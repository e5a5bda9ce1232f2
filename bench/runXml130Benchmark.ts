import { spawn } from 'node:child_process';
import { Client } from 'pg';
import { appendFile, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createXml130Adapter } from '../adapters/xml130/createXml130Adapter';
import { readXml130File } from '../adapters/xml130/readXml130File';
import { scanXml130Folder } from '../adapters/xml130/scanXml130Folder';
import type { Xml130Hoso } from '../adapters/xml130/Xml130Hoso';
import { Xml130Index } from '../adapters/xml130/Xml130Index';
import type { Xml130Adapter } from '../adapters/xml130/Xml130Adapter';
import { DEFAULT_XML130_LIMITS, type Xml130Limits } from '../adapters/xml130/Xml130Limits';
import { createLogger } from '../core/logging/logger';
import { CLINICAL_RESOURCE_KINDS } from '../contracts/model/clinical';
import { facilityRecordsOf } from '../demo/population/facilityRecordsOf';
import { DEMO_FACILITIES, DEMO_SEED, generatePopulation } from '../demo/population/generatePopulation';
import { GiamDinhHsFileWriter } from '../demo/xml130/GiamDinhHsFileWriter';
import { hosoDocumentOf } from '../demo/xml130/hosoDocumentOf';
import { recordBenchmarkResults } from './recordBenchmarkResults';

/**
 * The xml130 adapter at hospital scale, its on-disk index against the in-memory index it
 * replaced. BENCH_XML130_HOSO (default 100,000) synthetic HOSO are written by the demo writer as
 * files of BENCH_XML130_PER_FILE (default 1,000) HOSO. Each measurement runs in its own Node
 * process (so one does not inherit another's heap):
 * - `disk`: the adapter indexes the folder into a fresh PGlite data directory (the default store);
 * - `restart`: a new adapter over the same data directory, nothing changed (no file is parsed);
 * - `restart-1`: the same after one file changed (only it is parsed);
 * - `memory`: the in-memory index (readXml130File + Xml130Index.build) the adapter used before,
 *   only up to BENCH_XML130_MEMORY_MAX HOSO (default 100,000; it keeps ~4.7 KB per HOSO).
 * Memory is sampled from `process.memoryUsage()` and the OS peak (`resourceUsage().maxRSS`); PGlite
 * runs on a worker thread of the same process, so its memory is in the RSS. Results go to
 * bench/RESULTS.md.
 *
 * Run: `npm run bench:xml130` (or `BENCH_XML130_HOSO=300000 npm run bench:xml130`).
 */
const facility = DEMO_FACILITIES[0] as (typeof DEMO_FACILITIES)[number];
const MB = 1024 * 1024;
const LIMITS: Xml130Limits = { ...DEFAULT_XML130_LIMITS, maxFileBytes: 16 * 1024 * MB };

type Phase = 'disk' | 'restart' | 'restart-1' | 'memory';

interface Generated {
  readonly hoso: number;
  readonly files: number;
  readonly bytes: number;
  readonly seconds: number;
}

interface Measured {
  readonly hoso: number;
  readonly problems: number;
  readonly filesRead: number;
  readonly seconds: number;
  readonly baselineRssMb: number;
  readonly peakRssMb: number;
  readonly peakHeapMb: number;
  /** Heap still in use after a full GC at the end (what the index keeps); -1 without --expose-gc. */
  readonly retainedHeapMb: number;
  /** Median ms of one patient's lookup by CCCD and all their resources (restart phase only). */
  readonly patientMs?: number;
  /** Median ms of a population question over every episode (restart phase only). */
  readonly populationMs?: number;
}

async function main(): Promise<void> {
  const [flag, phase, phaseFolder, phaseDataDir] = process.argv.slice(2);
  if (flag === '--phase' && phaseFolder !== undefined) {
    const result = phase === 'generate' ? await generate(phaseFolder) : await measure(phase as Phase, phaseFolder, phaseDataDir ?? '');
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const hoso = Number(process.env.BENCH_XML130_HOSO ?? 100_000);
  const perFile = Number(process.env.BENCH_XML130_PER_FILE ?? 1_000);
  const memoryMax = Number(process.env.BENCH_XML130_MEMORY_MAX ?? 100_000);
  const root = await mkdtemp(join(tmpdir(), 'patient-graph-xml130-bench-'));
  // BENCH_XML130_FOLDER: claims written before (by the `generate` phase), kept afterwards.
  const given = process.env.BENCH_XML130_FOLDER;
  const folder = given ?? join(root, 'claims');
  // BENCH_XML130_STORE=postgres: the index in a fresh database of the local PostgreSQL server
  // (BENCH_XML130_PG, default postgres://postgres@127.0.0.1:5432), dropped at the end.
  const postgres = process.env.BENCH_XML130_STORE === 'postgres';
  const server = process.env.BENCH_XML130_PG ?? 'postgres://postgres@127.0.0.1:5432';
  const database = process.env.BENCH_XML130_DATABASE ?? `xml130_bench_${process.pid}`;
  const dataDir = postgres ? `${server}/${database}` : join(root, 'index');
  if (postgres) await adminStatement(`${server}/postgres`, `CREATE DATABASE ${database}`);
  try {
    if (given === undefined) process.stderr.write(`writing ${hoso} HOSO (${perFile} per file) to ${folder} …\n`);
    const generated = given === undefined ? await child<Generated>('generate', folder, dataDir) : await describeFolder(folder);
    const runs: [string, Measured][] = [];
    const run = async (phase: Phase, what: string): Promise<void> => {
      process.stderr.write(`${what} …\n`);
      runs.push([what, await child<Measured>(phase, folder, dataDir)]);
    };
    await run('disk', 'on-disk index, first start');
    const indexBytes = postgres ? await databaseSize(dataDir) : await sizeOnDisk(dataDir);
    await run('restart', 'on-disk index, restart, nothing changed');
    const [changed] = (await readdir(folder)).sort();
    // A comment after the root element: still the same claims, other bytes (size and hash change).
    await appendFile(join(folder, changed ?? ''), '\n<!-- re-exported -->\n');
    await run('restart-1', 'on-disk index, restart, one file changed');
    if (generated.hoso <= memoryMax) await run('memory', 'in-memory index (before)');
    report(generated, perFile, indexBytes, runs, postgres ? 'PostgreSQL' : 'PGlite');
  } finally {
    if (postgres) await adminStatement(`${server}/postgres`, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await rm(root, { recursive: true, force: true }); // a BENCH_XML130_FOLDER is left as it was given (but one file changed)
  }
}

/** What a folder written before holds (its HOSO counted from the file headers' SOLUONGHOSO). */
async function describeFolder(folder: string): Promise<Generated> {
  let bytes = 0;
  const names = (await readdir(folder)).filter((name) => name.endsWith('.xml'));
  for (const name of names) bytes += (await stat(join(folder, name))).size;
  return { hoso: Number(process.env.BENCH_XML130_HOSO ?? 100_000), files: names.length, bytes, seconds: 0 };
}

/** Writes the HOSO as files of perFile HOSO. */
async function generate(folder: string): Promise<Generated> {
  const started = performance.now();
  const total = Number(process.env.BENCH_XML130_HOSO ?? 100_000);
  const perFile = Number(process.env.BENCH_XML130_PER_FILE ?? 1_000);
  await mkdir(folder, { recursive: true });
  const options = { facilityCode: facility.code, createdOn: '2026-06-30' };
  let files = 0;
  let bytes = 0;
  let written = 0;
  let file: GiamDinhHsFileWriter | null = null;
  let inFile = 0;
  // Batches of the synthetic population, generated one at a time: the writer never holds them all.
  for (let batch = 0; written < total; batch += 1) {
    const population = generatePopulation({ seed: DEMO_SEED + batch, size: 5_000, facilities: [facility] });
    for (const { person, record } of facilityRecordsOf(population, facility.code)) {
      for (const encounter of record.resources.encounters) {
        if (written >= total) break;
        if (file === null) {
          files += 1;
          const path = join(folder, `${facility.code}_${String(files).padStart(5, '0')}.xml`);
          file = await GiamDinhHsFileWriter.open(path, { ...options, hosoCount: Math.min(perFile, total - written) });
          inFile = 0;
        }
        inFile += 1;
        await file.add(hosoDocumentOf({ person, record, encounter }, { facilityCode: facility.code, idPrefix: `B${batch}-`, stt: inFile }));
        written += 1;
        if (inFile === perFile || written === total) {
          await file.close();
          file = null;
        }
      }
    }
  }
  for (const name of await readdir(folder)) bytes += (await stat(join(folder, name))).size;
  return { hoso: written, files, bytes, seconds: (performance.now() - started) / 1000 };
}

/** Builds one index of the folder, sampling memory all along. */
async function measure(phase: Phase, folder: string, dataDir: string): Promise<Measured> {
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peakRss = baseline;
  let peakHeap = process.memoryUsage().heapUsed;
  // Every 50 ms (process.memoryUsage() reads /proc: at 10 ms it took 1% of the CPU profile); the
  // OS maximum below catches a peak between two samples.
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  }, 50);
  // HOSO committed so far, counted from the adapter's per-file log lines (RSS over HOSO is what matters).
  let committedHoso = 0;
  const logger = createLogger({
    level: 'info',
    write: (line) => {
      const record = JSON.parse(line) as { level?: string; event?: string; hoso?: number };
      if (record.event === 'xml130.file_indexed' || record.event === 'xml130.file_problems') committedHoso += record.hoso ?? 0;
      if (record.level === 'error') process.stderr.write(`${line}\n`);
    },
  });
  const progress = setInterval(() => {
    process.stderr.write(`  ${phase}: ${((performance.now() - started) / 1000).toFixed(0)} s, ${committedHoso} HOSO, RSS ${Math.round(process.memoryUsage().rss / MB)} MB, peak ${Math.round(peakRss / MB)} MB, load ${loadavg()[0]?.toFixed(1)}\n`);
  }, Number(process.env.BENCH_XML130_PROGRESS_MS ?? 60_000));
  const started = performance.now();
  let hoso: number;
  let problems: number;
  let filesRead: number;
  let adapter: Xml130Adapter | undefined;
  let memoryIndex: Xml130Index | undefined;
  if (phase === 'memory') {
    const files: { path: string; mtimeMs: number; hoso: Xml130Hoso[] }[] = [];
    problems = 0;
    for (const entry of await scanXml130Folder(folder)) {
      const read: Xml130Hoso[] = [];
      const summary = await readXml130File(entry.path, { limits: LIMITS, expectedFacilityCode: facility.code, onHoso: (h) => read.push(h) });
      problems += summary.problemCount;
      files.push({ path: entry.path, mtimeMs: entry.mtimeMs, hoso: read });
    }
    memoryIndex = Xml130Index.build(files);
    hoso = memoryIndex.hosoCount;
    filesRead = files.length;
  } else {
    adapter = await createXml130Adapter(
      { folder, watch: false, debounceMs: 0, rescanIntervalMs: 0, limits: LIMITS, index: /^postgres(ql)?:\/\//.test(dataDir) ? { kind: 'postgres', url: dataDir } : { kind: 'pglite', dataDir } },
      { logger, facility },
    );
    ({ hoso, problems, filesRead } = adapter.stats());
  }
  const seconds = (performance.now() - started) / 1000;
  const queries = phase === 'restart' && adapter ? await timeQueries(adapter) : {};
  clearInterval(sampler);
  clearInterval(progress);
  const end = process.memoryUsage(); // the in-memory index is built after the last file, between two samples
  peakRss = Math.max(peakRss, end.rss);
  peakHeap = Math.max(peakHeap, end.heapUsed);
  global.gc?.();
  const retained = global.gc ? process.memoryUsage().heapUsed : -1;
  // After the measurement: the index must still be alive when the heap is read.
  await adapter?.close();
  if (memoryIndex && memoryIndex.hosoCount < 0) throw new Error('unreachable: keeps the in-memory index alive until here');
  const osPeakRss = process.resourceUsage().maxRSS * 1024;
  return {
    hoso,
    problems,
    filesRead,
    seconds,
    baselineRssMb: Math.round(baseline / MB),
    peakRssMb: Math.round(Math.max(peakRss, osPeakRss) / MB),
    peakHeapMb: Math.round(peakHeap / MB),
    retainedHeapMb: retained < 0 ? -1 : Math.round(retained / MB),
    ...queries,
  };
}

/**
 * One patient (found by CCCD, then every kind of resource of theirs) and a population question
 * over every episode, each run 5 times: the median in ms. The patient is the first of the
 * generated population at this facility (its MA_BN carries the `B0-` prefix of the first batch).
 */
async function timeQueries(adapter: Xml130Adapter): Promise<{ patientMs: number; populationMs: number }> {
  const population = generatePopulation({ seed: DEMO_SEED, size: 5_000, facilities: [facility] });
  const [chart] = facilityRecordsOf(population, facility.code);
  const nationalId = chart?.person.nationalId ?? '';
  const median = async (run: () => Promise<unknown>): Promise<number> => {
    const times: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const t = performance.now();
      await run();
      times.push(performance.now() - t);
    }
    return Math.round((times.sort((a, b) => a - b)[2] ?? 0) * 10) / 10;
  };
  const patientMs = await median(async () => {
    const found = await adapter.findPatients({ nationalIds: [nationalId], socialInsuranceNumbers: [], birthDates: [] });
    if (found.length === 0) throw new Error('benchmark: the first generated patient is not in the index');
    const ids = found.map((p) => p.localId);
    for (const kind of CLINICAL_RESOURCE_KINDS) await adapter.loadResources(kind, ids);
  });
  const populationMs = await median(() => adapter.population(
    { measure: 'ENCOUNTERS', groupBy: ['ICD10_CHAPTER', 'YEAR'], from: null, to: null, icd10Prefixes: null, encounterClasses: null },
    (basis) => `${basis.kind}:${basis.value}`,
  ));
  return { patientMs, populationMs };
}

async function adminStatement(url: string, statement: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function databaseSize(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ bytes: string }>('SELECT pg_database_size(current_database())::text AS bytes');
    return Number(result.rows[0]?.bytes ?? 0);
  } finally {
    await client.end();
  }
}

/** Bytes of every file under a folder. */
async function sizeOnDisk(path: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    total += entry.isDirectory() ? await sizeOnDisk(child) : (await stat(child)).size;
  }
  return total;
}

/** Runs one phase in a fresh Node process (TypeScript through tsx, GC exposed) and reads its JSON. */
async function child<T>(phase: string, folder: string, dataDir: string): Promise<T> {
  const node = spawn(process.execPath, ['--expose-gc', '--require', 'tsx/cjs', __filename, '--phase', phase, folder, dataDir], {
    cwd: join(__dirname, '..'),
    stdio: ['ignore', 'pipe', 'inherit'],
    env: process.env,
  });
  let out = '';
  node.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => node.on('close', resolve));
  if (code !== 0) throw new Error(`phase ${phase} exited with ${code}`);
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as T;
}

function report(generated: Generated, perFile: number, indexBytes: number, runs: readonly [string, Measured][], store: string): void {
  const rate = (m: Measured): string => (m.filesRead === 0 ? '–' : String(Math.round(m.hoso / m.seconds)));
  const byPhase = new Map(runs);
  const disk = byPhase.get('on-disk index, first start');
  const memory = byPhase.get('in-memory index (before)');
  const restart = byPhase.get('on-disk index, restart, nothing changed');
  const load = loadavg().map((n) => n.toFixed(1)).join(' ');
  const lines = [
    `### xml130 index on disk (${store}): ${generated.hoso.toLocaleString('en')} HOSO — ${new Date().toISOString().slice(0, 10)}`,
    '',
    `Command: \`${processEnv()}${store === 'PostgreSQL' ? 'BENCH_XML130_STORE=postgres ' : ''}BENCH_XML130_HOSO=${generated.hoso} BENCH_XML130_PER_FILE=${perFile} npm run bench:xml130\` (each row in its own Node ${process.version} process on this 2-core machine, load average ${load} at the end; ${(generated.bytes / MB).toFixed(0)} MB of claims as ${generated.files} files written by demo/xml130 in ${generated.seconds.toFixed(0)} s). Peak RSS is the larger of sampled \`process.memoryUsage().rss\` and the OS maximum, PGlite's worker thread included; heap after = \`heapUsed\` after a full GC at the end. Index on disk after the first start: ${(indexBytes / MB).toFixed(0)} MB (${((indexBytes / generated.hoso) / 1024).toFixed(1)} KB per HOSO).`,
    '',
    '| what | HOSO | files parsed | problems | seconds | HOSO/s | RSS before MB | peak RSS MB | peak heap MB | heap after MB |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...runs.map(([what, m]) =>
      `| ${what} | ${m.hoso} | ${m.filesRead} | ${m.problems} | ${m.seconds.toFixed(1)} | ${rate(m)} | ${m.baselineRssMb} | ${m.peakRssMb} | ${m.peakHeapMb} | ${m.retainedHeapMb} |`),
    '',
    ...(restart?.patientMs === undefined ? [] : [`Queries after the restart (median of 5): one patient by CCCD with every kind of resource ${restart.patientMs} ms; a population question over every episode (ENCOUNTERS by ICD-10 chapter and year) ${restart.populationMs} ms.`, '']),
    disk && memory
      ? `Side by side at ${generated.hoso.toLocaleString('en')} HOSO: peak RSS ${disk.peakRssMb} MB on disk vs ${memory.peakRssMb} MB in memory (${(disk.peakRssMb / memory.peakRssMb).toFixed(2)}×), heap kept ${disk.retainedHeapMb} MB vs ${memory.retainedHeapMb} MB, first start ${disk.seconds.toFixed(0)} s vs ${memory.seconds.toFixed(0)} s (${(disk.seconds / memory.seconds).toFixed(2)}×).`
      : `The in-memory index is not run at this size (BENCH_XML130_MEMORY_MAX); at ~4.7 KB per HOSO it would keep ~${Math.round((generated.hoso * 4.7) / 1024)} MB of heap.`,
    '',
  ];
  recordBenchmarkResults(lines.join('\n'));
}

/** Settings of the process (V8 flags, the C allocator) the run was given, as they would be typed. */
function processEnv(): string {
  return ['NODE_OPTIONS', 'MALLOC_ARENA_MAX', 'MALLOC_MMAP_THRESHOLD_']
    .flatMap((name) => (process.env[name] ? [`${name}=${process.env[name]?.includes(' ') ? `'${process.env[name]}'` : process.env[name]} `] : []))
    .join('');
}

main().catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
