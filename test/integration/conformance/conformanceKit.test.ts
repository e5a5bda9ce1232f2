import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningSecret } from '../../../core/security/generateSigningSecret';
import { startDemoHospital, type SyntheticDemoHospital } from '../../../demo/hospitals/startDemoHospital';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import type { Population } from '../../../demo/population/types';
import { runConformanceKit, type ConformanceTarget } from '../../../gateway/conformance/runConformanceKit';
import { captureLogger } from '../../helpers/captureLogger';
import { startMisbehavingSource, type MisbehavingSource, type Misbehaviour } from '../../helpers/startMisbehavingSource';
import { runCli } from '../../helpers/runCli';

/** The conformance kit against a real hospital subgraph, and against sources that break one rule each. */
describe('the conformance kit', () => {
  const logs = captureLogger();
  const secret = generateSigningSecret();
  let population: Population;
  let hospital: SyntheticDemoHospital;
  let target: ConformanceTarget;
  const proxies = new Map<Misbehaviour, MisbehavingSource>();

  beforeAll(async () => {
    population = createDemoPopulation();
    const facility = population.facilities[0];
    if (!facility) throw new Error('no facility');
    hospital = await startDemoHospital({ facility, population, logger: logs.logger, signing: { secret, target: facility.code } });
    const testPatients = population.people.filter((p) => p.records.some((r) => r.facilityCode === facility.code && r.hasNationalId)).slice(0, 4).map((p) => p.nationalId);
    target = { url: hospital.url, contract: 'clinical', code: facility.code, secret, deadlineMs: 5000, testPatients };
    for (const behaviour of ['out-of-order', 'ignores-batching', 'accepts-unsigned'] as const) {
      proxies.set(behaviour, await startMisbehavingSource(hospital.url, behaviour, { secret, target: facility.code }));
    }
  }, 120_000);

  afterAll(async () => {
    for (const proxy of proxies.values()) await proxy.stop();
    await hospital?.stop();
  });

  const failedOf = async (behaviour: Misbehaviour) => {
    const url = proxies.get(behaviour)?.url ?? '';
    return (await runConformanceKit({ ...target, url })).filter((c) => !c.passed);
  };

  it('passes a real hospital subgraph, every check', async () => {
    const checks = await runConformanceKit(target);
    expect(checks.filter((c) => !c.passed)).toEqual([]);
    expect(checks.map((c) => c.check)).toEqual([
      'sdl',
      'refuses-unsigned',
      'refuses-tampered',
      'refuses-replayed',
      'entity-resolution',
      'one-entity-per-representation',
      'batching',
      'merge-fields',
      'error-shape',
      'deadline',
    ]);
  });

  it('fails a source that returns entities out of order, saying so', async () => {
    const failed = await failedOf('out-of-order');
    expect(failed.map((c) => c.check)).toContain('one-entity-per-representation');
    expect(failed.find((c) => c.check === 'one-entity-per-representation')?.detail).toMatch(/is not the patient asked at that position/);
    expect(failed.map((c) => c.check)).not.toContain('refuses-unsigned');
  });

  it('fails a source that ignores batching, counting what came back', async () => {
    const failed = await failedOf('ignores-batching');
    expect(failed.find((c) => c.check === 'batching')?.detail).toBe('one request of 25 representations was answered with 1 entities');
  });

  it('fails a source that never answers on the deadline check, each request given up at twice the deadline', async () => {
    const silent = createServer(() => undefined); // accepts every request, answers none
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/graphql`;
      const checks = await runConformanceKit({ ...target, url, deadlineMs: 100 });
      expect(checks.find((c) => c.check === 'sdl')?.detail).toMatch(/no answer: timeout/);
      expect(checks.find((c) => c.check === 'deadline')).toMatchObject({ passed: false, detail: 'a request did not finish within the 100 ms deadline' });
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('fails a source that accepts unsigned, tampered or replayed requests', async () => {
    const failed = await failedOf('accepts-unsigned');
    expect(failed.map((c) => c.check)).toEqual(['refuses-unsigned', 'refuses-tampered', 'refuses-replayed']);
    expect(failed[0]?.detail).toBe('an unsigned request was answered with HTTP 200, not 401');
  });

  it('runs as `patient-graph adapter check`: a line per check, exit 0 and a JSON report for a conforming source, exit 1 otherwise', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'registry-kit-'));
    const secretFile = join(dir, 'secret');
    writeFileSync(secretFile, `${secret}\n`, { mode: 0o600 });
    const report = join(dir, 'report.json');
    const args = ['--contract', 'clinical', '--code', target.code, '--secret-file', secretFile, '--patients', target.testPatients.join(',')];
    const ok = await runCli(['adapter', 'check', hospital.url, ...args, '--report', report]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout.split('\n').filter((l) => l.startsWith('pass '))).toHaveLength(10);
    expect(ok.stdout).toContain('conforms: 10 checks passed');
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ conforms: true, code: target.code });
    const bad = await runCli(['adapter', 'check', proxies.get('accepts-unsigned')?.url ?? '', ...args]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^FAIL {2}refuses-unsigned +an unsigned request was answered with HTTP 200, not 401$/m);
    expect(bad.stdout).toContain('does not conform: 3 of 10 checks failed');
  }, 120_000);
});
