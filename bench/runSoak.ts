import autocannon from 'autocannon';
import { createLogger } from '../core/logging/logger';
import { examplePatient, examplePatientQuery } from '../demo/examplePatient';
import { startDemoNetwork } from '../demo/startDemoNetwork';
import { issueDevelopmentToken } from '../gateway/auth/developmentAuth';
import { InMemoryRateLimiter } from '../gateway/limits/InMemoryRateLimiter';
import { loadAverage } from './peers/peerStatistics';
import { recordBenchmarkResults } from './recordBenchmarkResults';

/**
 * Soak: SOAK_CLIENTS (100) concurrent clients for SOAK_SECONDS (300) against the demo network as
 * `npm start` runs it (real adapters), on loopback only. Passes when no request fails and RSS grows
 * less than 10% from the end of the warm-up (a fifth of the run, at least 30 s) to the end.
 * Everything runs in this one process, load generator included.
 *
 * Run: `npm run soak` (SOAK_SECONDS, SOAK_CLIENTS, SOAK_HOSPITALS=synthetic for the gateway alone).
 */
async function main(): Promise<void> {
  const seconds = Number(process.env.SOAK_SECONDS ?? 300);
  const clients = Number(process.env.SOAK_CLIENTS ?? 100);
  const hospitals = process.env.SOAK_HOSPITALS === 'synthetic' ? 'synthetic' : 'adapters';
  const warmUpSeconds = Math.max(30, Math.round(seconds / 5));
  const network = await startDemoNetwork({
    host: '127.0.0.1',
    logger: createLogger({ level: 'error' }),
    hospitalKinds: hospitals,
    rateLimits: { limiter: new InMemoryRateLimiter(), limitFor: () => null },
  });
  try {
    const person = examplePatient(network.population);
    const token = await issueDevelopmentToken({ role: 'clinician', sub: 'soak-clinician', facilityCode: person.records[0]?.facilityCode ?? '01901' });
    const samples: { at: number; rssMb: number }[] = [];
    const started = Date.now();
    const sampler = setInterval(() => samples.push({ at: (Date.now() - started) / 1000, rssMb: process.memoryUsage().rss / 1024 / 1024 }), 5_000);
    let graphqlErrors = 0;
    const result = await autocannon({
      url: network.gateway.url,
      method: 'POST',
      connections: clients,
      duration: warmUpSeconds + seconds,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: examplePatientQuery(person.nationalId) }),
      setupClient: (client) => {
        client.on('body', (body: Buffer) => {
          if (body.includes('"errors"')) graphqlErrors += 1;
        });
      },
    });
    clearInterval(sampler);
    const afterWarmUp = samples.find((s) => s.at >= warmUpSeconds)?.rssMb ?? Number.NaN;
    const end = samples.at(-1)?.rssMb ?? Number.NaN;
    const growth = (end - afterWarmUp) / afterWarmUp;
    // autocannon's `errors` already include its timeouts (10 s without an answer).
    const failures = result.errors + result.non2xx + graphqlErrors;
    const lines = [
      `### Soak: ${clients} clients for ${seconds} s after ${warmUpSeconds} s of warm-up — ${new Date().toISOString().slice(0, 10)}`,
      '',
      `Command: \`SOAK_SECONDS=${seconds} SOAK_CLIENTS=${clients}${hospitals === 'synthetic' ? ' SOAK_HOSPITALS=synthetic' : ''} npm run soak\` (the demo network on loopback, ${hospitals === 'synthetic' ? 'synthetic hospitals' : 'real adapters as `npm start` runs them'}; load generator in the same process; the merged-patient query of the README). Load average when done: ${loadAverage()}.`,
      '',
      '| requests | req/s | p50 ms | p99 ms | failed (connection errors incl. timeouts, of which timeouts, non-2xx, GraphQL errors) | RSS after warm-up MB | RSS at end MB | growth | verdict |',
      '|---|---|---|---|---|---|---|---|---|',
      `| ${result.requests.total} | ${result.requests.average.toFixed(0)} | ${result.latency.p50} | ${result.latency.p99} | ${failures} (${result.errors}, ${result.timeouts}, ${result.non2xx}, ${graphqlErrors}) | ${afterWarmUp.toFixed(0)} | ${end.toFixed(0)} | ${(growth * 100).toFixed(1)}% | ${failures === 0 && growth < 0.1 ? 'pass' : 'FAIL'} |`,
      '',
    ];
    recordBenchmarkResults(lines.join('\n'));
    if (failures > 0 || !(growth < 0.1)) process.exitCode = 1;
  } finally {
    await network.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`soak failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
