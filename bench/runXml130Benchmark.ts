import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createXml130Adapter } from '../adapters/xml130/createXml130Adapter';
import { inspectXml130 } from '../adapters/xml130/inspectXml130';
import type { Xml130Adapter } from '../adapters/xml130/Xml130Adapter';
import { DEFAULT_XML130_LIMITS, type Xml130Limits } from '../adapters/xml130/Xml130Limits';
import { createLogger } from '../core/logging/logger';
import { facilityRecordsOf } from '../demo/population/facilityRecordsOf';
import { DEMO_FACILITIES, DEMO_SEED, generatePopulation } from '../demo/population/generatePopulation';
import { GiamDinhHsFileWriter } from '../demo/xml130/GiamDinhHsFileWriter';
import { hosoDocumentOf } from '../demo/xml130/hosoDocumentOf';
import type { HosoSource } from '../demo/xml130/HosoSource';
import { recordBenchmarkResults } from './recordBenchmarkResults';

/**
 * The xml130 adapter at hospital scale: BENCH_XML130_HOSO (default 100,000) synthetic HOSO are
 * written by the demo writer twice, as many files of BENCH_XML130_PER_FILE (default 1,000) HOSO
 * and as one single huge file. Each measurement runs in its own Node process (so one does not
 * inherit another's heap): building the adapter's index of each, and reading each with
 * `xml130 inspect` (streaming only, nothing kept). Memory is sampled from `process.memoryUsage()`
 * and the OS peak (`resourceUsage().maxRSS`). Results go to bench/RESULTS.md.
 *
 * Run: `npm run bench:xml130`.
 */
const facility = DEMO_FACILITIES[0] as (typeof DEMO_FACILITIES)[number];
const MB = 1024 * 1024;
const LIMITS: Xml130Limits = { ...DEFAULT_XML130_LIMITS, maxFileBytes: 16 * 1024 * MB };

interface Generated {
  readonly hoso: number;
  readonly manyFiles: number;
  readonly manyBytes: number;
  readonly singleBytes: number;
  readonly seconds: number;
}

interface Measured {
  readonly hoso: number;
  readonly problems: number;
  readonly seconds: number;
  readonly baselineRssMb: number;
  readonly peakRssMb: number;
  readonly peakHeapMb: number;
  /** Heap still in use after a full GC at the end (what the index keeps); -1 without --expose-gc. */
  readonly retainedHeapMb: number;
}

async function main(): Promise<void> {
  const [flag, phase, folder] = process.argv.slice(2);
  if (flag === '--phase' && folder !== undefined) {
    const result = phase === 'generate' ? await generate(folder) : await measure(phase === 'index' ? 'index' : 'inspect', folder);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const hoso = Number(process.env.BENCH_XML130_HOSO ?? 100_000);
  const perFile = Number(process.env.BENCH_XML130_PER_FILE ?? 1_000);
  const root = await mkdtemp(join(tmpdir(), 'patient-graph-xml130-bench-'));
  try {
    process.stderr.write(`writing ${hoso} HOSO (${perFile} per file, and as one file) to ${root} …\n`);
    const generated = await child<Generated>('generate', root);
    const runs: [string, string, Measured][] = [];
    for (const [layout, label] of [['many', `${generated.manyFiles} files × ${perFile} HOSO`], ['single', `1 file × ${generated.hoso} HOSO`]] as const) {
      for (const phase of ['index', 'inspect'] as const) {
        process.stderr.write(`${phase}: ${label} …\n`);
        runs.push([phase === 'index' ? 'adapter index (start)' : 'inspect (stream only)', label, await child<Measured>(phase, join(root, layout))]);
      }
    }
    report(generated, perFile, runs);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** Writes the same HOSO as `many/` (perFile per file) and `single/` (one file). */
async function generate(root: string): Promise<Generated> {
  const started = performance.now();
  const total = Number(process.env.BENCH_XML130_HOSO ?? 100_000);
  const perFile = Number(process.env.BENCH_XML130_PER_FILE ?? 1_000);
  const batches: { source: HosoSource; prefix: string }[] = [];
  for (let batch = 0; batches.length < total; batch += 1) {
    const population = generatePopulation({ seed: DEMO_SEED + batch, size: 5_000, facilities: [facility] });
    for (const { person, record } of facilityRecordsOf(population, facility.code)) {
      for (const encounter of record.resources.encounters) batches.push({ source: { person, record, encounter }, prefix: `B${batch}-` });
    }
  }
  const sources = batches.slice(0, total);
  await mkdir(join(root, 'many'), { recursive: true });
  await mkdir(join(root, 'single'), { recursive: true });
  const options = { facilityCode: facility.code, createdOn: '2026-06-30' };
  const single = await GiamDinhHsFileWriter.open(join(root, 'single', 'all.xml'), { ...options, hosoCount: sources.length });
  let manyFiles = 0;
  let manyBytes = 0;
  for (let first = 0; first < sources.length; first += perFile) {
    const chunk = sources.slice(first, first + perFile);
    manyFiles += 1;
    const path = join(root, 'many', `${facility.code}_${String(manyFiles).padStart(5, '0')}.xml`);
    const small = await GiamDinhHsFileWriter.open(path, { ...options, hosoCount: chunk.length });
    for (const [i, { source, prefix }] of chunk.entries()) {
      const document = hosoDocumentOf(source, { facilityCode: facility.code, idPrefix: prefix, stt: i + 1 });
      await small.add(document);
      await single.add(document);
    }
    await small.close();
    manyBytes += (await stat(path)).size;
  }
  await single.close();
  const singleBytes = (await stat(join(root, 'single', 'all.xml'))).size;
  return { hoso: sources.length, manyFiles, manyBytes, singleBytes, seconds: (performance.now() - started) / 1000 };
}

/** Indexes (adapter) or streams (inspect) one folder, sampling memory all along. */
async function measure(phase: 'index' | 'inspect', folder: string): Promise<Measured> {
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peakRss = baseline;
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  }, 10);
  const started = performance.now();
  let hoso: number;
  let problems: number;
  let adapter: Xml130Adapter | undefined;
  if (phase === 'index') {
    adapter = await createXml130Adapter(
      { folder, watch: false, debounceMs: 0, rescanIntervalMs: 0, limits: LIMITS, index: { kind: 'pglite', dataDir: null } },
      { logger: createLogger({ level: 'error' }), facility },
    );
    ({ hoso, problems } = adapter.stats());
  } else {
    const report = await inspectXml130(folder, { limits: LIMITS });
    ({ hoso, problems } = report.totals);
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const end = process.memoryUsage(); // the index is built after the last file, between two samples
  peakRss = Math.max(peakRss, end.rss);
  peakHeap = Math.max(peakHeap, end.heapUsed);
  global.gc?.();
  const retained = global.gc ? process.memoryUsage().heapUsed : -1;
  await adapter?.close(); // after the measurement: the index must still be alive when the heap is read
  const osPeakRss = process.resourceUsage().maxRSS * 1024;
  return {
    hoso,
    problems,
    seconds,
    baselineRssMb: Math.round(baseline / MB),
    peakRssMb: Math.round(Math.max(peakRss, osPeakRss) / MB),
    peakHeapMb: Math.round(peakHeap / MB),
    retainedHeapMb: retained < 0 ? -1 : Math.round(retained / MB),
  };
}

/** Runs one phase in a fresh Node process (TypeScript through tsx, GC exposed) and reads its JSON. */
async function child<T>(phase: string, folder: string): Promise<T> {
  const node = spawn(process.execPath, ['--expose-gc', '--require', 'tsx/cjs', __filename, '--phase', phase, folder], {
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

function report(generated: Generated, perFile: number, runs: readonly [string, string, Measured][]): void {
  const rate = (m: Measured): number => Math.round(m.hoso / m.seconds);
  const [indexMany, inspectMany, indexSingle, inspectSingle] = runs.map(([, , m]) => m);
  const lines = [
    `### xml130 adapter: ${generated.hoso.toLocaleString('en')} HOSO, many files vs one file — ${new Date().toISOString().slice(0, 10)}`,
    '',
    `Command: \`BENCH_XML130_HOSO=${generated.hoso} BENCH_XML130_PER_FILE=${perFile} npm run bench:xml130\` (each row in its own Node ${process.version} process on this 2-core machine; data written by demo/xml130 from the synthetic population, Base64 inner documents, ${(generated.manyBytes / MB).toFixed(0)} MB as ${generated.manyFiles} files and ${(generated.singleBytes / MB).toFixed(0)} MB as one file, written in ${generated.seconds.toFixed(0)} s). Peak RSS is the larger of sampled \`process.memoryUsage().rss\` and the OS maximum; heap after = \`heapUsed\` after a full GC at the end (what stays in memory).`,
    '',
    '| what | files | HOSO | problems | seconds | HOSO/s | RSS before MB | peak RSS MB | peak heap MB | heap after MB |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...runs.map(([what, label, m]) =>
      `| ${what} | ${label} | ${m.hoso} | ${m.problems} | ${m.seconds.toFixed(1)} | ${rate(m)} | ${m.baselineRssMb} | ${m.peakRssMb} | ${m.peakHeapMb} | ${m.retainedHeapMb} |`),
    '',
    indexMany && indexSingle && inspectMany && inspectSingle
      ? `Memory is bounded by the HOSO, not by the file: streaming the ${(generated.singleBytes / MB).toFixed(0)} MB single file peaks at ${inspectSingle.peakRssMb} MB RSS, against ${inspectMany.peakRssMb} MB for ${generated.manyFiles} small files. Indexing peaks at ${indexSingle.peakRssMb} MB (one file) against ${indexMany.peakRssMb} MB (many files): what grows with the folder is the index itself, ${indexSingle.retainedHeapMb} MB of heap kept for ${generated.hoso.toLocaleString('en')} HOSO (about ${(((indexSingle.retainedHeapMb - inspectSingle.retainedHeapMb) * 1024) / generated.hoso).toFixed(1)} KB per HOSO), the same for both layouts.`
      : '',
    '',
  ];
  recordBenchmarkResults(lines.join('\n'));
}

main().catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
