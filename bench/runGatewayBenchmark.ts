import autocannon from 'autocannon';
import { createLogger } from '../core/logging/logger';
import { examplePatient, examplePatientQuery } from '../demo/examplePatient';
import { startDemoNetwork } from '../demo/startDemoNetwork';
import { issueDevelopmentToken } from '../gateway/auth/developmentAuth';
import { InMemoryRateLimiter } from '../gateway/limits/InMemoryRateLimiter';
import { recordBenchmarkResults } from './recordBenchmarkResults';

/**
 * Gateway throughput and latency over the demo network (real HTTP to every subgraph, all on this
 * machine). Scenarios: one patient merged from several hospitals; a page of 50 patients with their
 * encounters (fan-out to every hospital); a federated aggregate. Results go to bench/RESULTS.md.
 *
 * Run: `npm run bench` (BENCH_SECONDS=10, BENCH_CONNECTIONS=10 by default).
 */
interface Scenario {
  readonly name: string;
  readonly query: string;
  readonly token: string;
}

interface ScenarioResult {
  readonly name: string;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly non2xx: number;
  /** How long the first `connections` concurrent requests took, from a cold start of the scenario. */
  readonly coldWaveMs?: number;
}

async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
  // The benchmark measures throughput, not the per-principal rate limits: no limit for it.
  const hospitals = process.env.BENCH_HOSPITALS === 'synthetic' ? 'synthetic' : 'adapters';
  const network = await startDemoNetwork({
    logger: createLogger({ level: 'error' }),
    hospitalKinds: hospitals,
    rateLimits: { limiter: new InMemoryRateLimiter(), limitFor: () => null },
  });
  try {
    const person = examplePatient(network.population);
    const clinician = await issueDevelopmentToken({ role: 'clinician', sub: 'bench-clinician', facilityCode: person.records[0]?.facilityCode ?? '01901' });
    const analyst = await issueDevelopmentToken({ role: 'analyst', sub: 'bench-analyst' });
    const scenarios: Scenario[] = [
      { name: 'clinician: one patient, merged from 3 hospitals + VSS card', query: examplePatientQuery(person.nationalId), token: clinician },
      { name: 'analyst: 50 patients with encounters (fan-out to 4 hospitals)', query: '{ patients(first: 50) { edges { node { gender encounters { id period { start } source { facilityCode } } } } } }', token: analyst },
      { name: 'analyst: diagnosisCounts + encounterCount (all hospitals)', query: '{ diagnosisCounts(first: 10) { code encounters } encounterCount }', token: analyst },
    ];
    const results: ScenarioResult[] = [];
    for (const scenario of scenarios) {
      // Warm-up (JIT, plan cache, VSS cache, first reads of each hospital): first one answered
      // request per connection — the cold wave, reported on its own, since a timed warm-up shorter
      // than it let its queue into the measured run — then 2 s.
      const coldWaveMs = await firstWave(network.gateway.url, scenario, connections);
      await run(network.gateway.url, scenario, 2, connections);
      results.push({ ...(await run(network.gateway.url, scenario, seconds, connections)), coldWaveMs });
    }
    const vssCallsPerQuery = await vssCallsPerWarmQuery(network, scenarios[0]);
    const rssMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
    report(results, { seconds, connections, rssMb, vssCallsPerQuery, hospitals });
  } finally {
    await network.stop();
  }
}

async function run(url: string, scenario: Scenario, seconds: number, connections: number): Promise<ScenarioResult> {
  const result = await autocannon({
    url,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${scenario.token}` },
    body: JSON.stringify({ query: scenario.query }),
  });
  return {
    name: scenario.name,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

/** Sends one request per connection at once and waits for every answer: the scenario's cold wave (ms). */
async function firstWave(url: string, scenario: Scenario, connections: number): Promise<number> {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${scenario.token}` },
        body: JSON.stringify({ query: scenario.query }),
      });
      await response.arrayBuffer();
    }),
  );
  return Math.round(performance.now() - started);
}

/**
 * Calls the VSS simulator receives per patient query once the card cache is warm (identity's
 * record locator and the insurance subgraph share one VssClient and its cache).
 */
async function vssCallsPerWarmQuery(network: Awaited<ReturnType<typeof startDemoNetwork>>, scenario: Scenario | undefined): Promise<number> {
  if (!scenario) return Number.NaN;
  const before = network.vss.stats().cardCheck;
  const queries = 20;
  for (let i = 0; i < queries; i++) {
    await fetch(network.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${scenario.token}` },
      body: JSON.stringify({ query: scenario.query }),
    });
  }
  return (network.vss.stats().cardCheck - before) / queries;
}

function report(results: readonly ScenarioResult[], run: { seconds: number; connections: number; rssMb: number; vssCallsPerQuery: number; hospitals: 'adapters' | 'synthetic' }): void {
  const lines = [
    `### Gateway over the demo network — ${new Date().toISOString().slice(0, 10)}`,
    '',
    `Command: \`BENCH_SECONDS=${run.seconds} BENCH_CONNECTIONS=${run.connections}${run.hospitals === 'synthetic' ? ' BENCH_HOSPITALS=synthetic' : ''} npm run bench\`. Everything in one Node process on this 2-core machine, load generator included: the gateway with its whole security pipeline (JWT, field policies, consent, hash-chained audit fsynced per operation, limits; rate limits off), identity and insurance over the VSS simulator, and 4 hospitals ${run.hospitals === 'synthetic' ? 'over the in-memory synthetic adapter (the gateway\'s own cost)' : 'over real adapters (FHIR on Medplum\'s in-memory repository, two HIS schemas on PGlite, a QĐ 130 folder) — what `npm start` runs'}. Process RSS at the end: ${run.rssMb} MB.`,
    '',
    `| scenario | req/s | p50 ms | p99 ms | p99 / p50 | errors | non-2xx | cold wave ms (first ${run.connections} requests at once, before the warm-up) |`,
    '|---|---|---|---|---|---|---|---|',
    ...results.map((r) => `| ${r.name} | ${r.requestsPerSecond} | ${r.p50Ms} | ${r.p99Ms} | ${(r.p99Ms / r.p50Ms).toFixed(2)} | ${r.errors} | ${r.non2xx} | ${r.coldWaveMs ?? '—'} |`),
    '',
    `VSS web-service calls per patient query with a warm card cache: ${run.vssCallsPerQuery} (20 sequential queries of the first scenario after the runs).`,
    '',
  ];
  recordBenchmarkResults(lines.join('\n'));
}

main().catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
