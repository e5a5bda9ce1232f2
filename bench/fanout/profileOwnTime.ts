import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { Pool } from 'undici';
import { SourceClient } from '../../core/http/SourceClient';
import { createLogger } from '../../core/logging/logger';
import { createDemoPopulation } from '../../demo/population/generatePopulation';
import { startDemoNetwork } from '../../demo/startDemoNetwork';
import { issueDevelopmentToken } from '../../gateway/auth/developmentAuth';
import { InMemoryRateLimiter } from '../../gateway/limits/InMemoryRateLimiter';

/**
 * Where one merged-patient read spends its time at 1 connection, over the demo network in this
 * process (synthetic hospitals, no delay): the same query and guards as `npm run bench:fanout`.
 * Prints the mean and p50 wall time, the process's CPU time per request (gateway, subgraphs and VSS
 * simulator together: they share this process), and the mean time per request inside each source
 * call and the audit append; then the timeline of 3 requests. `PROFILE_OUT=<file>` also writes a
 * V8 CPU profile of the measured requests only (start-up and warm-up left out).
 *
 * Run: `npx tsx bench/fanout/profileOwnTime.ts` (PROFILE_REQUESTS=1000).
 */
const QUERY = `query Patient($id: ID!) { patient(nationalId: $id) { nationalId name { full } facilityCodes
  encounters { id period { start end } source { facilityCode } diagnoses { code { code } } } } }`;

const phases = new Map<string, number>();
let timeline: string[] | null = null;
let timelineStart = 0;

function timed<T>(name: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  timeline?.push(`${(started - timelineStart).toFixed(2)} ms  start ${name}`);
  return run().finally(() => {
    const ended = performance.now();
    phases.set(name, (phases.get(name) ?? 0) + ended - started);
    timeline?.push(`${(ended - timelineStart).toFixed(2)} ms  end   ${name}`);
  });
}

async function main(): Promise<void> {
  const n = Number(process.env.PROFILE_REQUESTS ?? 1000);
  const population = createDemoPopulation();
  const person = population.people.find((p) => p.card?.resultCode === '000' && new Set(p.records.map((r) => r.facilityCode)).size === 3);
  if (!person) throw new Error('profile: the demo population has nobody treated at three hospitals');
  const network = await startDemoNetwork({ logger: createLogger({ level: 'error' }), population, hospitalKinds: 'synthetic', rateLimits: { limiter: new InMemoryRateLimiter(), limitFor: () => null } });
  const names = new Map<string, string>([[new URL(network.identity.url).origin, 'identity'], [new URL(network.insurance.url).origin, 'insurance']]);
  for (const hospital of network.hospitals) names.set(new URL(hospital.url).origin, `hospital ${hospital.facility.code}`);
  const append = network.audit.append.bind(network.audit);
  Object.assign(network.audit, { append: (entry: Parameters<typeof append>[0]) => timed('audit append', () => append(entry)) });
  const call: SourceClient['call'] = Reflect.get(SourceClient.prototype, 'call');
  SourceClient.prototype.call = function <T>(this: SourceClient, ...args: Parameters<SourceClient['call']>): Promise<T> {
    const origin = new URL(this.options.url).origin;
    return timed(`call ${names.get(origin) ?? origin}`, () => call.apply(this, args) as Promise<T>);
  };
  const token = await issueDevelopmentToken({ role: 'clinician', sub: 'bench-clinician', facilityCode: person.records[0]?.facilityCode ?? '' });
  const body = JSON.stringify({ query: QUERY, variables: { id: person.nationalId } });
  const url = new URL(network.gateway.url);
  const client = new Pool(url.origin, { connections: 1 });
  const once = async (): Promise<void> => {
    const answer = await client.request({ path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
    const text = await answer.body.text();
    if (answer.statusCode !== 200 || text.includes('"errors"')) throw new Error(`profile: the gateway answered ${answer.statusCode} ${text.slice(0, 300)}`);
  };
  try {
    for (let i = 0; i < 300; i += 1) await once(); // warm-up: JIT, plan cache, keep-alive connections
    const session = process.env.PROFILE_OUT ? new Session() : null;
    if (session) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 100 });
      await session.post('Profiler.start');
    }
    phases.clear();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const times: number[] = [];
    for (let i = 0; i < n; i += 1) {
      const sent = performance.now();
      await once();
      times.push(performance.now() - sent);
    }
    const wall = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    if (session) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(process.env.PROFILE_OUT ?? '', JSON.stringify(profile));
      session.disconnect();
    }
    times.sort((a, b) => a - b);
    const lines = [`${n} requests: mean ${(wall / n).toFixed(2)} ms, p50 ${(times[Math.floor(n / 2)] ?? Number.NaN).toFixed(2)} ms, cpu/request ${((cpu.user + cpu.system) / 1000 / n).toFixed(2)} ms`];
    for (const [name, total] of [...phases].sort(([a], [b]) => a.localeCompare(b))) lines.push(`  ${name}: ${(total / n).toFixed(2)} ms per request`);
    for (let k = 0; k < 3; k += 1) {
      timeline = [];
      timelineStart = performance.now();
      await once();
      timeline.push(`${(performance.now() - timelineStart).toFixed(2)} ms  answered`);
      lines.push(`timeline of one request:`, ...timeline.map((l) => `  ${l}`));
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await client.close();
    await network.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
