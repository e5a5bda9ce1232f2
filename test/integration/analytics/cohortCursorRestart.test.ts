import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoHospital, type SyntheticDemoHospital } from '../../../demo/hospitals/startDemoHospital';
import { generateSigningSecret } from '../../../core/security/generateSigningSecret';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL } from '../../helpers/postGraphQL';
import { startCli } from '../../helpers/runCli';
import { startRegistryTestNetwork, type RegistryTestNetwork } from '../../helpers/startRegistryTestNetwork';
import { tokenFor } from '../../helpers/tokens';

/** Every CLI start compiles the sources through tsx: seconds each, more on a busy machine. */
const CLI_TIMEOUT_MS = 120_000;
const PAGE = `query Cohort($from: Date, $to: Date, $first: Int, $after: String) {
  cohort(from: $from, to: $to, first: $first, after: $after) { rows { pseudonym } pageInfo { endCursor hasNextPage } withheldRows }
}`;
const QUESTION = { from: '2024-01-01', to: '2026-06-30', first: 60 };
interface Page {
  readonly rows: { readonly pseudonym: string }[];
  readonly pageInfo: { readonly endCursor: string | null; readonly hasNextPage: boolean };
  readonly withheldRows: number;
}

/**
 * The production gateway (`patient-graph gateway --config`, a real process) with
 * `analytics.cursorKey`: a cohort cursor made before a restart continues after it
 * (docs/analytics.md, "De-identified cohort rows") — the config key reaches the cursor codec.
 */
describe('a cohort cursor across a restart of the production gateway (analytics.cursorKey)', () => {
  const { logger } = captureLogger();
  let network: RegistryTestNetwork;
  let hospitals: SyntheticDemoHospital[] = [];
  let dir: string;
  let config: string;
  let gateway: { child: ChildProcessWithoutNullStreams; url: string } | null = null;

  beforeAll(async () => {
    network = await startRegistryTestNetwork(logger);
    // Hospitals holding the network's analytics key (the registry network's have none: they refuse cohort questions).
    const analyticsKey = randomBytes(32);
    const facilities = network.population.facilities.slice(0, 2);
    const secrets = facilities.map(() => generateSigningSecret());
    hospitals = await Promise.all(facilities.map((facility, i) => startDemoHospital({ facility, population: network.population, logger, signing: { secret: secrets[i] ?? '', target: facility.code }, analyticsKey })));
    dir = mkdtempSync(join(tmpdir(), 'pg-cohort-key-'));
    config = join(dir, 'gateway.yaml');
    // JSON is YAML.
    writeFileSync(config, JSON.stringify({
      server: { host: '127.0.0.1', port: 0 },
      auth: { kind: 'development' },
      identity: { url: network.identity.url, secret: network.identity.secret },
      insurance: { url: network.insurance.url, secret: network.insurance.secret },
      hospitals: hospitals.map((h, i) => ({ code: h.facility.code, name: h.facility.name, url: h.url, secret: secrets[i] })),
      state: { kind: 'embedded', dir: join(dir, 'state') },
      analytics: { cursorKey: generateSigningSecret() },
    }));
  }, CLI_TIMEOUT_MS);

  afterAll(async () => {
    await stopGateway();
    for (const hospital of hospitals) await hospital.stop();
    await network?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function startGateway(): Promise<string> {
    const started = await startCli(['gateway', '--config', config], 'patient-graph gateway at', CLI_TIMEOUT_MS);
    const url = /patient-graph gateway at (\S+)/.exec(started.stdout())?.[1];
    if (!url) throw new Error(`no gateway URL in ${started.stdout()}`);
    gateway = { child: started.child, url };
    return url;
  }

  async function stopGateway(): Promise<void> {
    const running = gateway;
    gateway = null;
    if (!running || running.child.exitCode !== null) return;
    const exited = new Promise((resolve) => running.child.once('exit', resolve));
    running.child.kill('SIGTERM');
    await exited;
  }

  it('continues after the restart the cursor the gateway made before it', async () => {
    const analyst = await tokenFor('analyst', { sub: 'cohort-restart' });
    const before = await startGateway();
    const first = await postGraphQL<{ cohort: Page }>(before, PAGE, { ...QUESTION, after: null }, analyst);
    expect(first.status).toBe(200);
    const cursor = first.body.data?.cohort.pageInfo.endCursor;
    if (!cursor) throw new Error('the question fits one page');
    await stopGateway();

    const after = await startGateway();
    const second = await postGraphQL<{ cohort: Page }>(after, PAGE, { ...QUESTION, after: cursor }, analyst);
    expect(second.body.errors).toBeUndefined();
    expect(second.status).toBe(200);
    const page = second.body.data?.cohort;
    expect((page?.rows.length ?? 0) + (page?.withheldRows ?? 0)).toBeGreaterThan(0);
  }, 3 * CLI_TIMEOUT_MS);
});
