import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { loadavg } from 'node:os';
import { createLogger } from '../core/logging/logger';
import { createDemoPopulation } from '../demo/population/generatePopulation';
import { startDemoNetwork } from '../demo/startDemoNetwork';
import { issueDevelopmentToken } from '../gateway/auth/developmentAuth';
import { InMemoryRateLimiter } from '../gateway/limits/InMemoryRateLimiter';

/**
 * Cohort paging (docs/analytics.md, "De-identified cohort rows"): one question paged to its end
 * through the real gateway over real HTTP, over the demo sources at a few population sizes: by
 * default the cookbook's network (docs/analytics.md, "Cookbook": synthetic hospitals and 48903 on
 * QĐ 130 files indexed in PGlite); BENCH_COHORT_KINDS=adapters puts the four demo hospitals on
 * FHIR R4, sql-his (PGlite, vendor and legacy schemas), QĐ 130 and synthetic — on a loaded machine
 * the in-process PGlite shared by three of them needs a small BENCH_COHORT_PAGE (its statement
 * deadline is the demo's 5 s). For each
 * size and level of detail (CODES and CHAPTER alternated, BENCH_RUNS each): pages per second,
 * bytes per page to the client (the response body) and from the hospitals to the gateway (counted
 * at the hospitals' HTTP servers, headers included), rows released and withheld.
 *
 * Run: `npm run bench:cohort` (BENCH_COHORT_PEOPLE=1000,4000,10000; BENCH_COHORT_PAGE=1000 rows a
 * page; BENCH_RUNS=2). Prints a Markdown section for bench/RESULTS.md.
 */
const SIZES = (process.env.BENCH_COHORT_PEOPLE ?? '1000,4000,10000').split(',').map(Number);
const PAGE = Number(process.env.BENCH_COHORT_PAGE ?? 1000);
const RUNS = Number(process.env.BENCH_RUNS ?? 2);
const DETAILS = ['CODES', 'CHAPTER'] as const;
const KINDS = process.env.BENCH_COHORT_KINDS === 'adapters' ? ('adapters' as const) : { '48903': 'xml130' as const };
const QUERY = `query Cohort($after: String, $detail: CohortDetail, $first: Int) {
  cohort(from: "2025-01-01", to: "2025-12-31", first: $first, after: $after, detail: $detail) {
    rows { pseudonym ageBand sex province encounterClass icd10Codes month period }
    pageInfo { endCursor hasNextPage }
    withheldRows
  }
}`;

interface Paging {
  readonly pages: number;
  readonly seconds: number;
  readonly clientBytes: number;
  readonly sourceBytes: number;
  readonly released: number;
  readonly withheld: number;
}

interface CohortAnswer {
  readonly data?: { readonly cohort?: { readonly rows: readonly unknown[]; readonly pageInfo: { readonly endCursor: string | null }; readonly withheldRows: number } };
  readonly errors?: readonly unknown[];
}

async function main(): Promise<void> {
  const lines: string[] = [];
  let sourceBytes = 0;
  let hospitalPorts = new Set<number>();
  // Bytes each hospital server wrote on a connection, as a delta per response (keep-alive sockets).
  const written = new WeakMap<Socket, number>();
  subscribe('http.server.response.finish', (message) => {
    const socket = (message as { response: ServerResponse; request: IncomingMessage }).response.socket;
    if (!socket || !hospitalPorts.has(socket.localPort ?? -1)) return;
    sourceBytes += socket.bytesWritten - (written.get(socket) ?? 0);
    written.set(socket, socket.bytesWritten);
  });
  const token = await issueDevelopmentToken({ role: 'analyst', sub: 'bench-cohort' });
  const loads: number[] = [loadavg()[0] ?? 0];
  for (const people of SIZES) {
    const loadStarted = performance.now();
    const network = await startDemoNetwork({
      logger: createLogger({ level: 'error' }),
      population: createDemoPopulation(people),
      hospitalKinds: KINDS,
      hospitalTimeoutMs: 600_000,
      // Paging as fast as the gateway answers is what is measured: no per-caller allowance.
      rateLimits: { limiter: new InMemoryRateLimiter(), limitFor: () => null },
    });
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    hospitalPorts = new Set(network.hospitals.map((h) => Number(new URL(h.url).port)));
    const runs = new Map<string, Paging[]>(DETAILS.map((d) => [d, []]));
    try {
      for (let run = 0; run < RUNS; run += 1) {
        for (const detail of run % 2 === 0 ? DETAILS : [...DETAILS].reverse()) {
          runs.get(detail)?.push(await pageToTheEnd(network.gateway.url, token, detail, () => sourceBytes));
          loads.push(loadavg()[0] ?? 0);
        }
      }
    } finally {
      await network.stop();
    }
    for (const detail of DETAILS) {
      const done = runs.get(detail) ?? [];
      const best = done.reduce((a, b) => (b.pages / b.seconds > a.pages / a.seconds ? b : a));
      const rate = median(done.map((p) => p.pages / p.seconds));
      lines.push(`| ${people} | ${detail} | ${best.released + best.withheld} | ${best.pages} | ${rate.toFixed(2)} | ${Math.round(best.clientBytes / best.pages)} | ${Math.round(best.sourceBytes / best.pages)} | ${best.released} (${((100 * best.released) / Math.max(1, best.released + best.withheld)).toFixed(1)} %) | ${loadSeconds.toFixed(0)} |`);
    }
    process.stderr.write(`bench:cohort: ${people} people done\n`);
  }
  const section = [
    `### Cohort paging over the demo sources — ${new Date().toISOString().slice(0, 10)}`,
    '',
    `Command: \`${KINDS === 'adapters' ? 'BENCH_COHORT_KINDS=adapters ' : ''}BENCH_COHORT_PEOPLE=${SIZES.join(',')} BENCH_COHORT_PAGE=${PAGE} BENCH_RUNS=${RUNS} npm run bench:cohort\` (one question, every encounter of 2025, paged to its end; CODES and CHAPTER alternated; ${KINDS === 'adapters' ? 'FHIR R4, sql-his on PGlite, QĐ 130, synthetic' : 'synthetic hospitals, 48903 on QĐ 130 files'}; everything in one process). Load average (1 min) during the runs: ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}.`,
    '',
    '| people | detail | encounters | pages | pages/s (median) | bytes/page to client | bytes/page from hospitals | rows released | network start s |',
    '|---|---|---|---|---|---|---|---|---|',
    ...lines,
  ].join('\n');
  process.stdout.write(`${section}\n`);
}

async function pageToTheEnd(url: string, token: string, detail: string, sourceBytesNow: () => number): Promise<Paging> {
  const sourceBefore = sourceBytesNow();
  const started = performance.now();
  let after: string | null = null;
  let pages = 0;
  let clientBytes = 0;
  let released = 0;
  let withheld = 0;
  do {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: QUERY, variables: { after, detail, first: PAGE } }),
    });
    const text = await response.text();
    clientBytes += Buffer.byteLength(text);
    const body = JSON.parse(text) as CohortAnswer;
    const page = body.data?.cohort;
    if (!page || body.errors) throw new Error(`bench:cohort: page ${pages + 1} failed: ${text.slice(0, 300)}`);
    pages += 1;
    released += page.rows.length;
    withheld += page.withheldRows;
    after = page.pageInfo.endCursor;
  } while (after !== null);
  return { pages, seconds: (performance.now() - started) / 1000, clientBytes, sourceBytes: sourceBytesNow() - sourceBefore, released, withheld };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
