import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { createLogger } from '../core/logging/logger';
import { examplePatient, examplePatientQuery } from '../demo/examplePatient';
import { startDemoNetwork } from '../demo/startDemoNetwork';
import { issueDevelopmentToken } from '../gateway/auth/developmentAuth';
import { InMemoryRateLimiter } from '../gateway/limits/InMemoryRateLimiter';
import { loadAverage } from './peers/peerStatistics';
import { recordBenchmarkResults } from './recordBenchmarkResults';
import type { SoakLoad, SoakLoadResult } from './soak/soakLoadGenerator';

interface MemorySample {
  readonly at: number;
  readonly rssMb: number;
  readonly heapUsedMb: number;
  readonly externalMb: number;
  readonly arrayBuffersMb: number;
}

/**
 * Soak: SOAK_CLIENTS (100) concurrent clients for SOAK_SECONDS (300) against the demo network as
 * `npm start` runs it (real adapters, the patient index on PGlite in the state folder with its
 * learning), on loopback only. Passes when no request fails and the demo's RSS grows less than
 * 10% from the end of the warm-up (a fifth of the run, at least 30 s) to the end.
 * The load generator (autocannon) runs in a child process so the RSS measured is the demo's; its
 * own RSS is reported beside it. Rate limits are off (one clinician sends every request).
 *
 * Run: `npm run soak` (SOAK_SECONDS, SOAK_CLIENTS; SOAK_HOSPITALS=synthetic for the gateway alone;
 * SOAK_INDEX=memory for the in-memory patient index; SOAK_SAMPLES=<file> writes the memory samples;
 * with `node --expose-gc` (SOAK_GC=1 via NODE_OPTIONS) each sample follows a full GC, so what
 * grows is retained, not garbage).
 */
async function main(): Promise<void> {
  const seconds = Number(process.env.SOAK_SECONDS ?? 300);
  const clients = Number(process.env.SOAK_CLIENTS ?? 100);
  const hospitals = process.env.SOAK_HOSPITALS === 'synthetic' ? 'synthetic' : 'adapters';
  const memoryIndex = process.env.SOAK_INDEX === 'memory';
  const warmUpSeconds = Math.max(30, Math.round(seconds / 5));
  const stateDir = mkdtempSync(join(tmpdir(), 'patient-graph-soak-'));
  const collect = (globalThis as { gc?: () => void }).gc;
  const network = await startDemoNetwork({
    host: '127.0.0.1',
    logger: createLogger({ level: 'error' }),
    hospitalKinds: hospitals,
    stateDir,
    ...(memoryIndex ? {} : { patientIndex: { kind: 'pglite' as const, dataDir: join(stateDir, 'patient-index') } }),
    rateLimits: { limiter: new InMemoryRateLimiter(), limitFor: () => null },
  });
  try {
    const person = examplePatient(network.population);
    const token = await issueDevelopmentToken({ role: 'clinician', sub: 'soak-clinician', facilityCode: person.records[0]?.facilityCode ?? '01901' });
    const samples: MemorySample[] = [];
    const started = Date.now();
    const sample = (): void => {
      if (process.env.SOAK_GC === '1') collect?.();
      const memory = process.memoryUsage();
      const mb = (bytes: number): number => bytes / 1024 / 1024;
      samples.push({ at: (Date.now() - started) / 1000, rssMb: mb(memory.rss), heapUsedMb: mb(memory.heapUsed), externalMb: mb(memory.external), arrayBuffersMb: mb(memory.arrayBuffers) });
    };
    const sampler = setInterval(sample, 5_000);
    const load: SoakLoad = { url: network.gateway.url, token, body: JSON.stringify({ query: examplePatientQuery(person.nationalId) }), connections: clients, seconds: warmUpSeconds + seconds };
    const result = await generateLoad(load);
    clearInterval(sampler);
    if (process.env.SOAK_SAMPLES) writeFileSync(process.env.SOAK_SAMPLES, JSON.stringify(samples, null, 1));
    const afterWarmUp = samples.find((s) => s.at >= warmUpSeconds);
    const end = samples.at(-1);
    const growth = afterWarmUp && end ? (end.rssMb - afterWarmUp.rssMb) / afterWarmUp.rssMb : Number.NaN;
    const failures = result.errors + result.non2xx + result.graphqlErrors;
    const mb = (value: number | undefined): string => (value === undefined ? 'n/a' : value.toFixed(0));
    const lines = [
      `### Soak: ${clients} clients for ${seconds} s after ${warmUpSeconds} s of warm-up — ${new Date().toISOString().slice(0, 10)}`,
      '',
      `Command: \`SOAK_SECONDS=${seconds} SOAK_CLIENTS=${clients}${hospitals === 'synthetic' ? ' SOAK_HOSPITALS=synthetic' : ''}${memoryIndex ? ' SOAK_INDEX=memory' : ''} npm run soak\` (the demo network on loopback, ${hospitals === 'synthetic' ? 'synthetic hospitals' : 'real adapters as `npm start` runs them'}, patient index ${memoryIndex ? 'in memory' : 'on PGlite with learning'}; load generator in a child process; the merged-patient query of the README; V8 heap limit ${(getHeapStatistics().heap_size_limit / 1024 / 1024).toFixed(0)} MB). Load average when done: ${loadAverage()}.`,
      '',
      '| requests | req/s | p50 ms | p99 ms | failed (connection errors incl. timeouts, of which timeouts, non-2xx, GraphQL errors) | demo RSS after warm-up MB | at end MB | growth | heap used after warm-up → end MB | load generator RSS MB | verdict |',
      '|---|---|---|---|---|---|---|---|---|---|---|',
      `| ${result.requests} | ${result.requestsPerSecond.toFixed(0)} | ${result.p50Ms} | ${result.p99Ms} | ${failures} (${result.errors}, ${result.timeouts}, ${result.non2xx}, ${result.graphqlErrors}) | ${mb(afterWarmUp?.rssMb)} | ${mb(end?.rssMb)} | ${(growth * 100).toFixed(1)}% | ${mb(afterWarmUp?.heapUsedMb)} → ${mb(end?.heapUsedMb)} | ${result.rssMb.toFixed(0)} | ${failures === 0 && growth < 0.1 ? 'pass' : 'FAIL'} |`,
      '',
    ];
    recordBenchmarkResults(lines.join('\n'));
    if (failures > 0 || !(growth < 0.1)) process.exitCode = 1;
  } finally {
    await network.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/** Runs autocannon in a child process (bench/soak/soakLoadGenerator.ts) and waits for its figures. */
function generateLoad(load: SoakLoad): Promise<SoakLoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'soak', 'soakLoadGenerator.ts'), [JSON.stringify(load)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let answer: SoakLoadResult | undefined;
    child.on('message', (message) => {
      answer = message as SoakLoadResult;
    });
    child.on('error', reject);
    child.on('exit', (code) => (answer ? resolve(answer) : reject(new Error(`the load generator exited with ${code ?? 'a signal'} and no figures`))));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`soak failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
