import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { generateSigningSecret } from '../core/security/generateSigningSecret';
import { createDemoPopulation } from '../demo/population/generatePopulation';
import { issueDevelopmentToken } from '../gateway/auth/developmentAuth';
import type { GatewayKind, PeerConfig, PeerMessage } from './peers/peerConfig';
import { recordBenchmarkResults } from './recordBenchmarkResults';
import { loadAverage, median, ratio, type RunResult } from './peers/peerStatistics';

/**
 * patient-graph side by side with a bare `@apollo/gateway` + Apollo Server and Hive Gateway, in
 * front of the same subgraphs (identity, insurance, one synthetic hospital), answering the same
 * merged-patient query. Each gateway runs in its own process; runs alternate between gateways
 * (the order rotates every round) so a busy machine hurts all of them alike. CPU per request is
 * the gateway process's own CPU time divided by the requests it answered.
 *
 * Run: `npm run bench:peers` (BENCH_SECONDS=10, BENCH_CONNECTIONS=20, BENCH_ROUNDS=3).
 * `BENCH_BASELINE=<another checkout>` adds that checkout's patient-graph as a fourth contender
 * (the checkout needs bench/peers/ copied in): before and after a change, side by side.
 * After `npm run build` the processes run the compiled dist/, as production does.
 */
const KINDS: readonly GatewayKind[] = ['patient-graph', 'apollo-gateway', 'hive-gateway'];

interface Contender {
  readonly label: string;
  readonly kind: GatewayKind;
  /** The checkout whose bench/peers/peerProcess.ts runs it. */
  readonly root: string;
}

async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const runtime = runtimeOf(join(__dirname, '..')); // decided once: a source edited mid-run must not relabel processes already started
  const population = createDemoPopulation();
  const { facility, person } = singleSitePatient(population);
  const secrets = Object.fromEntries(['identity', 'insurance', facility.code].map((t) => [t, generateSigningSecret()]));
  const children: ChildProcess[] = [];
  try {
    const subgraphs = await startProcess('subgraphs', { facilityCode: facility.code, facilityName: facility.name, secrets }, children);
    const config = subgraphs.config;
    if (!config) throw new Error('benchmark: the subgraphs did not report their URLs');
    const baseline = process.env.BENCH_BASELINE;
    const contenders: Contender[] = [
      ...KINDS.map((kind) => ({ label: kind, kind, root: join(__dirname, '..') })),
      ...(baseline ? [{ label: 'baseline', kind: 'patient-graph' as const, root: baseline }] : []),
    ];
    const gateways = new Map<string, Started>();
    for (const contender of contenders) gateways.set(contender.label, await startProcess(contender.kind, config, children, contender.root));
    const token = await issueDevelopmentToken({ role: 'clinician', sub: 'bench-clinician', facilityCode: facility.code });
    const body = JSON.stringify({ query: mergedPatientQuery(person.nationalId) });
    for (const [label, gateway] of gateways) await checkAnswer(label, gateway.url, body, token);
    for (const gateway of gateways.values()) await load(gateway, body, token, 3, connections); // warm-up: JIT, plan caches

    const results: RunResult[] = [];
    for (let round = 0; round < rounds; round++) {
      const order = contenders.map((_, i) => contenders[(i + round) % contenders.length] as Contender);
      for (const { label } of order) results.push(await load(gateways.get(label) as Started, body, token, seconds, connections, label));
    }
    const rss50 = new Map<string, number>();
    for (const [kind, gateway] of gateways) {
      await load(gateway, body, token, Math.min(5, seconds), 50);
      rss50.set(kind, (await statsOf(gateway.child)).rssBytes / 1024 / 1024);
    }
    report({ results, rss50, seconds, connections, rounds, load: loadAverage(), baseline: baseline ?? null, runtime });
  } finally {
    // SIGKILL: Hive's runtime handles SIGTERM with a graceful drain that keeps the benchmark waiting.
    for (const child of children) child.kill('SIGKILL');
  }
}

const runtimes = new Map<string, string>();
/** What `root`'s processes run, decided once per checkout. */
function runtimeOf(root: string): string {
  const runtime = runtimes.get(root) ?? compiledOrNot(root);
  runtimes.set(root, runtime);
  return runtime;
}

function compiledOrNot(root = join(__dirname, '..')): string {
  const { distIsFresh } = createRequire(__filename)(join(root, 'bin', 'distIsFresh.js')) as { distIsFresh(this: void, root: string): boolean };
  return distIsFresh(root) ? 'compiled dist/' : 'TypeScript through tsx';
}

interface Started {
  readonly child: ChildProcess;
  readonly url: string;
  readonly config?: PeerConfig;
}

function startProcess(role: 'subgraphs' | GatewayKind, config: PeerConfig, children: ChildProcess[], root = join(__dirname, '..')): Promise<Started> {
  // The code as it ships (dist/, compiled) when it is built and current: tsx's loader and its
  // compiled-source cache are ~40 MB of a process that production does not carry.
  const compiled = join(root, 'dist', 'bench', 'peers', 'peerProcess.js');
  const program = existsSync(compiled) && runtimeOf(root) === 'compiled dist/' ? { path: compiled, execArgv: [] } : { path: join(root, 'bench', 'peers', 'peerProcess.ts'), execArgv: ['--import', 'tsx'] };
  const child = fork(program.path, [role, JSON.stringify(config)], { execArgv: program.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`benchmark: ${role} exited with ${String(code)}`)));
    child.on('message', (message: PeerMessage) => {
      if (message.kind === 'ready') resolve({ child, url: message.url, ...(message.config ? { config: message.config } : {}) });
    });
  });
}

function statsOf(child: ChildProcess): Promise<{ cpuMicros: number; rssBytes: number }> {
  return new Promise((resolve) => {
    const listener = (message: PeerMessage): void => {
      if (message.kind !== 'stats') return;
      child.off('message', listener);
      resolve(message);
    };
    child.on('message', listener);
    child.send('stats');
  });
}

async function load(gateway: Started, body: string, token: string, seconds: number, connections: number, label = 'warm-up'): Promise<RunResult> {
  const before = await statsOf(gateway.child);
  const result = await autocannon({
    url: gateway.url,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
  });
  const after = await statsOf(gateway.child);
  const answered = result.requests.total;
  return {
    label,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    cpuMsPerRequest: answered > 0 ? (after.cpuMicros - before.cpuMicros) / 1000 / answered : Number.NaN,
    rssMb: after.rssBytes / 1024 / 1024,
    failures: result.errors + result.non2xx,
  };
}

/** The same answer from every gateway, without errors, or the comparison is void. */
async function checkAnswer(kind: string, url: string, body: string, token: string): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
  const answer = (await response.json()) as { data?: { patient?: { encounters?: unknown[] } }; errors?: unknown[] };
  const encounters = answer.data?.patient?.encounters?.length ?? 0;
  if (response.status !== 200 || answer.errors || encounters === 0) {
    throw new Error(`benchmark: ${kind} answered ${response.status} ${JSON.stringify(answer).slice(0, 500)}`);
  }
}

/** A person treated at exactly one facility, so every gateway's one clinical subgraph holds all of it. */
function singleSitePatient(population: ReturnType<typeof createDemoPopulation>): { facility: ReturnType<typeof createDemoPopulation>['facilities'][number]; person: ReturnType<typeof createDemoPopulation>['people'][number] } {
  for (const person of population.people) {
    const codes = new Set(person.records.map((r) => r.facilityCode));
    const facility = population.facilities.find((f) => codes.has(f.code));
    if (codes.size === 1 && facility && person.records.every((r) => r.hasNationalId)) return { facility, person };
  }
  throw new Error('benchmark: the demo population has no single-site patient');
}

function mergedPatientQuery(nationalId: string): string {
  return `{ patient(nationalId: "${nationalId}") { nationalId name { full } birthDate gender facilityCodes
    encounters { id period { start end } source { facilityCode facilityName } diagnoses { code { system code display } } } } }`;
}

function report(run: { results: readonly RunResult[]; rss50: ReadonlyMap<string, number>; seconds: number; connections: number; rounds: number; load: string; baseline: string | null; runtime: string }): void {
  const row = (kind: string): { rps: number; p50: number; p99: number; cpu: number; rss: number; failures: number } => {
    const mine = run.results.filter((r) => r.label === kind);
    return {
      rps: median(mine.map((r) => r.requestsPerSecond)),
      p50: median(mine.map((r) => r.p50Ms)),
      p99: median(mine.map((r) => r.p99Ms)),
      cpu: median(mine.map((r) => r.cpuMsPerRequest)),
      rss: run.rss50.get(kind) ?? Number.NaN,
      failures: mine.reduce((n, r) => n + r.failures, 0),
    };
  };
  const labels = [...KINDS, ...(run.baseline ? ['baseline'] : [])];
  const [ours, apollo, hive, before] = labels.map(row) as [ReturnType<typeof row>, ReturnType<typeof row>, ReturnType<typeof row>, ReturnType<typeof row> | undefined];
  const names: Record<string, string> = {
    baseline: 'patient-graph before this change (BENCH_BASELINE)',
    'patient-graph': 'patient-graph (JWT, policies, consent, audit, signing)',
    'apollo-gateway': 'bare `@apollo/gateway` 2.14.4 + Apollo Server 5.5.1',
    'hive-gateway': 'Hive Gateway runtime 2.12.1 (de-duplication off)',
  };
  const lines = [
    `### patient-graph vs bare Apollo Gateway vs Hive Gateway — ${new Date().toISOString().slice(0, 10)}`,
    '',
    `Command: \`BENCH_SECONDS=${run.seconds} BENCH_CONNECTIONS=${run.connections} BENCH_ROUNDS=${run.rounds} npm run bench:peers\`. Each gateway in its own Node ${process.version} process (${run.runtime}), loading only its own gateway's modules, in front of the same subgraphs (identity, insurance, one synthetic hospital; their own process) answering the same merged-patient query for a patient treated at that hospital; autocannon in the orchestrating process; ${run.rounds} rounds of ${run.seconds} s per gateway, the order rotating every round; medians shown. CPU per request = the gateway process's CPU time / requests answered. RSS after 5 s at 50 connections. The peers sign their subgraph requests too (our subgraphs have no unsigned mode): one HMAC per subgraph request, the work patient-graph also does. Load average when done: ${run.load} (2 cores, shared with other jobs: absolute numbers are noisy, the ratios less so).`,
    '',
    '| gateway | req/s | p50 ms | p99 ms | CPU ms / request | RSS MB at 50 clients | failed requests |',
    '|---|---|---|---|---|---|---|',
    ...labels.map((kind, i) => {
      const r = [ours, apollo, hive, before][i] as ReturnType<typeof row>;
      return `| ${names[kind] ?? kind} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.cpu.toFixed(2)} | ${r.rss.toFixed(0)} | ${r.failures} |`;
    }),
    '',
    `Ratios (patient-graph / peer): throughput ${ratio(ours.rps, apollo.rps)}× bare Apollo (target ≥ 1.0×), ${ratio(ours.rps, hive.rps)}× Hive (target ≥ 1.2×); CPU per request ${ratio(ours.cpu, apollo.cpu)}× bare Apollo's (target ≤ 1.0×); p99/p50 ${ratio(ours.p99, ours.p50)} (target ≤ 3); RSS ${ours.rss.toFixed(0)} MB (target ≤ 250 MB).`,
    ...(before ? ['', `This checkout / before the change: throughput ${ratio(ours.rps, before.rps)}×, CPU per request ${ratio(ours.cpu, before.cpu)}×, p50 ${ratio(ours.p50, before.p50)}×, p99 ${ratio(ours.p99, before.p99)}×.`] : []),
    '',
  ];
  recordBenchmarkResults(lines.join('\n'));
}

main().catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
