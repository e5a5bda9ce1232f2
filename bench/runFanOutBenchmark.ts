import autocannon from 'autocannon';
import { createLogger } from '../core/logging/logger';
import { generateSigningSecret } from '../core/security/generateSigningSecret';
import { createDemoPopulation } from '../demo/population/generatePopulation';
import type { Population, SyntheticPerson } from '../demo/population/types';
import { startDemoNetwork } from '../demo/startDemoNetwork';
import { issueDevelopmentToken } from '../gateway/auth/developmentAuth';
import { InMemoryRateLimiter } from '../gateway/limits/InMemoryRateLimiter';
import type { RegisteredSource } from '../gateway/sources/RegisteredSource';
import { startDelayProxy, type DelayProxy } from './fanout/startDelayProxy';
import { loadAverage } from './peers/peerStatistics';
import { recordBenchmarkResults } from './recordBenchmarkResults';

/**
 * Fan-out latency and routing cost (issue 9): one patient treated at 3 hospitals, each of which
 * answers no faster than BENCH_SOURCE_DELAY_MS (20 ms) behind a delaying proxy, read through the
 * gateway with every guard on (JWT, field policy, consent, care relationship, audit, signing; rate
 * limits off). Targets: p50 ≤ 25 ms (the three calls run in parallel, so 20 ms plus the gateway's
 * own work), and the same p50 with 10, 100 and 1,000 registered sources (routing reads only the
 * patient's facilities). A row without delay shows the gateway's own time.
 *
 * Run: `npm run bench:fanout` (BENCH_SECONDS=8, BENCH_CONNECTIONS=1: latency, not throughput).
 */
const QUERY = `query Patient($id: ID!) { patient(nationalId: $id) { nationalId name { full } facilityCodes
  encounters { id period { start end } source { facilityCode } diagnoses { code { code } } } } }`;

interface Row {
  readonly delayMs: number;
  readonly registered: number;
  readonly requests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly sourceCallsPerQuery: number;
  readonly failed: number;
}

async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 8);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 1);
  const delayMs = Number(process.env.BENCH_SOURCE_DELAY_MS ?? 20);
  const population = createDemoPopulation();
  const person = patientAtThree(population);
  const rows: Row[] = [];
  for (const [delay, registered] of [[0, 10], [delayMs, 10], [delayMs, 100], [delayMs, 1_000]] as const) {
    rows.push(await measure(population, person, { delayMs: delay, registered, seconds, connections }));
  }
  report(rows, { seconds, connections, delayMs, load: loadAverage() });
}

async function measure(population: Population, person: SyntheticPerson, run: { delayMs: number; registered: number; seconds: number; connections: number }): Promise<Row> {
  const proxies: DelayProxy[] = [];
  const network = await startDemoNetwork({
    logger: createLogger({ level: 'error' }),
    population,
    hospitalKinds: 'synthetic',
    rateLimits: { limiter: new InMemoryRateLimiter(), limitFor: () => null },
    hospitalEndpoint: async (_facility, url) => {
      const proxy = await startDelayProxy(url, run.delayMs);
      proxies.push(proxy);
      return proxy.url;
    },
    additionalClinicalSources: unservedSources(run.registered - population.facilities.length),
  });
  try {
    const facility = person.records[0]?.facilityCode ?? '';
    const token = await issueDevelopmentToken({ role: 'clinician', sub: 'bench-clinician', facilityCode: facility });
    const body = JSON.stringify({ query: QUERY, variables: { id: person.nationalId } });
    await checkAnswer(network.gateway.url, body, token, person);
    await load(network.gateway.url, body, token, 2, run.connections); // warm-up: JIT, plan cache, keep-alive connections
    const before = proxies.reduce((sum, p) => sum + p.forwarded, 0);
    const result = await load(network.gateway.url, body, token, run.seconds, run.connections);
    const calls = proxies.reduce((sum, p) => sum + p.forwarded, 0) - before;
    return {
      delayMs: run.delayMs,
      registered: run.registered,
      requests: result.requests.total,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      sourceCallsPerQuery: result.requests.total > 0 ? calls / result.requests.total : Number.NaN,
      failed: result.errors + result.non2xx,
    };
  } finally {
    await network.stop();
    await Promise.all(proxies.map((p) => p.stop()));
  }
}

function load(url: string, body: string, token: string, seconds: number, connections: number): Promise<autocannon.Result> {
  return autocannon({ url, method: 'POST', connections, duration: seconds, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
}

/** The merged answer, from all three hospitals and without errors, or the figures are void. */
async function checkAnswer(url: string, body: string, token: string, person: SyntheticPerson): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
  const answer = (await response.json()) as { data?: { patient?: { encounters?: { source: { facilityCode: string } }[] } }; errors?: unknown[] };
  const answered = new Set(answer.data?.patient?.encounters?.map((e) => e.source.facilityCode));
  const treated = new Set(person.records.filter((r) => r.resources.encounters.length > 0).map((r) => r.facilityCode));
  if (response.status !== 200 || answer.errors || [...treated].some((code) => !answered.has(code))) {
    throw new Error(`benchmark: the gateway answered ${response.status} ${JSON.stringify(answer).slice(0, 500)}`);
  }
}

/** A person with a valid card treated at exactly three of the demo hospitals. */
function patientAtThree(population: Population): SyntheticPerson {
  const found = population.people.find((p) => p.card?.resultCode === '000' && new Set(p.records.map((r) => r.facilityCode)).size === 3);
  if (!found) throw new Error('benchmark: the demo population has nobody treated at three hospitals');
  return found;
}

/** Registered clinical sources nobody serves (a closed port): routing must not even look at them. */
function unservedSources(count: number): RegisteredSource[] {
  const secret = generateSigningSecret();
  return Array.from({ length: Math.max(0, count) }, (_, i) => ({
    code: `9${String(i).padStart(4, '0')}`,
    name: `unserved source ${i}`,
    contract: 'clinical' as const,
    url: 'http://127.0.0.1:9/graphql',
    timeoutMs: 1_000,
    secret,
  }));
}

function report(rows: readonly Row[], run: { seconds: number; connections: number; delayMs: number; load: string }): void {
  const p50 = (delayMs: number, registered: number): number => rows.find((r) => r.delayMs === delayMs && r.registered === registered)?.p50Ms ?? Number.NaN;
  const slow = rows.filter((r) => r.delayMs === run.delayMs).map((r) => r.p50Ms);
  const spread = Math.max(...slow) - Math.min(...slow);
  const failed = rows.reduce((sum, r) => sum + r.failed, 0);
  const verdict = failed > 0 ? `void: ${failed} requests failed` : p50(run.delayMs, 10) <= 25 ? 'met' : 'not met';
  const lines = [
    `### Fan-out: a patient at 3 sources answering in ${run.delayMs} ms; 10 → 1,000 registered sources — ${new Date().toISOString().slice(0, 10)}`,
    '',
    `Command: \`BENCH_SECONDS=${run.seconds} BENCH_CONNECTIONS=${run.connections} npm run bench:fanout\`. One Node ${process.version} process on this 2-core machine, load generator included: the demo network with synthetic hospitals, each behind a proxy that holds every request ${run.delayMs} ms; the gateway with every guard on (rate limits off); ${run.connections} connection(s), so the figures are latency, not throughput; ${run.seconds} s per row after 2 s of warm-up. Registered sources beyond the 4 served ones are never called. Load average when done: ${run.load}.`,
    '',
    '| source delay ms | registered sources | requests | p50 ms | p99 ms | source calls per query | failed |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.delayMs} | ${r.registered} | ${r.requests} | ${r.p50Ms} | ${r.p99Ms} | ${r.sourceCallsPerQuery.toFixed(2)} | ${r.failed} |`),
    '',
    `p50 at 3 sources × ${run.delayMs} ms with 10 registered: ${p50(run.delayMs, 10)} ms (target ≤ 25 ms: ${verdict}); the gateway's own time (no delay): ${p50(0, 10)} ms. Routing from 10 to 1,000 registered sources: p50 ${slow.join(' / ')} ms, spread ${spread} ms.`,
    '',
  ];
  recordBenchmarkResults(lines.join('\n'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
