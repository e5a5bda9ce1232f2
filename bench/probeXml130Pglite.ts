import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgliteDatabase } from '../adapters/sql-his/PgliteDatabase';
import { createPgliteDataDir } from '../adapters/sql-his/createPgliteDataDir';
import { PGLITE_INDEX_SETTINGS, PGLITE_INDEX_YOUNG_GENERATION_MB } from '../adapters/xml130/index/Xml130Sql';
import { createXml130Adapter } from '../adapters/xml130/createXml130Adapter';
import { DEFAULT_XML130_LIMITS } from '../adapters/xml130/Xml130Limits';
import { createLogger } from '../core/logging/logger';
import { DEMO_FACILITIES } from '../demo/population/generatePopulation';

/**
 * Where the memory of an xml130 first start on PGlite goes, over time: process RSS, the main
 * thread's heap and array buffers, PGlite's WebAssembly memory and its worker's heap, sampled
 * every PROBE_SAMPLE_MS (default 5,000). Run:
 * `node --expose-gc --require tsx/cjs bench/probeXml130Pglite.ts <claims folder>`;
 * PROBE_SETTINGS (JSON) overrides the index's PostgreSQL settings, PROBE_YOUNG its worker's young
 * generation (MB); PROBE_SMAPS_OPEN=1 lists the largest mappings once PGlite is open too.
 */
const MB = 1024 * 1024;

async function main(): Promise<void> {
  const folder = process.argv[2];
  if (folder === undefined) throw new Error('usage: probeXml130Pglite.ts <claims folder>');
  const root = await mkdtemp(join(tmpdir(), 'pglite-xml-probe-'));
  const dataDir = join(root, 'index');
  await createPgliteDataDir(dataDir);
  const settings = { ...PGLITE_INDEX_SETTINGS, ...(JSON.parse(process.env.PROBE_SETTINGS ?? '{}') as Record<string, string>) };
  const db = PgliteDatabase.open({ dataDir, settings, youngGenerationMb: Number(process.env.PROBE_YOUNG ?? PGLITE_INDEX_YOUNG_GENERATION_MB) });
  await db.ready();
  const started = performance.now();
  const peak = { rss: 0, wasm: 0, workerHeap: 0, heap: 0, arrayBuffers: 0 };
  const sample = async (): Promise<string> => {
    const usage = process.memoryUsage();
    const pg = await db.memory();
    peak.rss = Math.max(peak.rss, usage.rss);
    peak.wasm = Math.max(peak.wasm, pg.wasmBytes);
    peak.workerHeap = Math.max(peak.workerHeap, pg.workerHeapBytes);
    peak.heap = Math.max(peak.heap, usage.heapUsed);
    peak.arrayBuffers = Math.max(peak.arrayBuffers, usage.arrayBuffers);
    const mb = (n: number): string => String(Math.round(n / MB));
    return `${((performance.now() - started) / 1000).toFixed(0)} s rss ${mb(usage.rss)} heap ${mb(usage.heapUsed)}/${mb(usage.heapTotal)} ext ${mb(usage.external)} ab ${mb(usage.arrayBuffers)} wasm ${mb(pg.wasmBytes)} workerHeap ${mb(pg.workerHeapBytes)}/${mb(pg.workerHeapTotalBytes)}`;
  };
  process.stderr.write(`open: ${await sample()}\n${process.env.PROBE_SMAPS_OPEN ? await topMappings() : ''}`);
  const timer = setInterval(() => void sample().then((line) => process.stderr.write(`${line}\n`)), Number(process.env.PROBE_SAMPLE_MS ?? 5_000));
  const facility = DEMO_FACILITIES[0] as (typeof DEMO_FACILITIES)[number];
  const adapter = await createXml130Adapter(
    { folder, watch: false, debounceMs: 0, rescanIntervalMs: 0, limits: { ...DEFAULT_XML130_LIMITS, maxFileBytes: 16 * 1024 * MB }, index: { kind: 'pglite', dataDir } },
    { logger: createLogger({ level: 'error' }), facility, pglite: db },
  );
  clearInterval(timer);
  const seconds = (performance.now() - started) / 1000;
  const end = await sample();
  const { hoso } = adapter.stats();
  process.stderr.write(`end: ${end}\n${await topMappings()}`);
  process.stdout.write(`${JSON.stringify({ hoso, seconds: Math.round(seconds), hosoPerS: Math.round(hoso / seconds), peakRssMb: Math.round(Math.max(peak.rss, process.resourceUsage().maxRSS * 1024) / MB), peakWasmMb: Math.round(peak.wasm / MB), peakWorkerHeapMb: Math.round(peak.workerHeap / MB), peakHeapMb: Math.round(peak.heap / MB), peakArrayBuffersMb: Math.round(peak.arrayBuffers / MB), settings })}\n`);
  await adapter.close();
  await db.close();
  await rm(root, { recursive: true, force: true });
}

/** The mappings that hold the most resident memory (/proc/self/smaps): which allocator holds it. */
async function topMappings(): Promise<string> {
  const text = await readFile('/proc/self/smaps', 'utf8').catch(() => '');
  const maps: { head: string; sizeKb: number; rssKb: number }[] = [];
  for (const line of text.split('\n')) {
    if (/^[0-9a-f]+-[0-9a-f]+ /.test(line)) maps.push({ head: line, sizeKb: 0, rssKb: 0 });
    const last = maps.at(-1);
    const size = /^Size:\s+(\d+)/.exec(line);
    const rss = /^Rss:\s+(\d+)/.exec(line);
    if (last && size) last.sizeKb = Number(size[1]);
    if (last && rss) last.rssKb = Number(rss[1]);
  }
  const total = maps.reduce((sum, m) => sum + m.rssKb, 0);
  return [`smaps total rss ${Math.round(total / 1024)} MB`, ...maps.sort((a, b) => b.rssKb - a.rssKb).slice(0, 40).map((m) => `  rss ${Math.round(m.rssKb / 1024)} MB of ${Math.round(m.sizeKb / 1024)} MB ${m.head}`), ''].join('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`probe failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
