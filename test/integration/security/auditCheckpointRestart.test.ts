import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { generateSigningSecret } from '../../../core/security/generateSigningSecret';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL, type GraphQLHttpResponse } from '../../helpers/postGraphQL';
import { runCli, startCli } from '../../helpers/runCli';
import { startRegistryTestNetwork, type RegistryTestNetwork } from '../../helpers/startRegistryTestNetwork';
import { tokenFor } from '../../helpers/tokens';

const REDIS_URL = 'redis://127.0.0.1:6379';
const QUERY = 'query($id: ID!) { patient(nationalId: $id) { name { full } encounters { id } } }';
/** Every CLI start compiles the sources through tsx: seconds each, more on a busy machine. */
const CLI_TIMEOUT_MS = 120_000;

type Answer = GraphQLHttpResponse<{ patient: { name: { full: string } } | null }>;

/**
 * docs/audit.md "A checkpoint that outlives a restart": the production gateway (`patient-graph
 * gateway --config`, a real process) with its audit stream on the shared Redis under a key prefix
 * of its own and a signed checkpoint file. Records written, the gateway stopped, the stream
 * flushed: the restarted gateway notices against its checkpoint and refuses data until an operator
 * acknowledges the gap; `audit verify` reports it and exits non-zero. A checkpoint edited by hand
 * stops the gateway at start.
 */
describe('a gateway restarted after Redis lost its audit records', () => {
  const { logger } = captureLogger();
  const prefix = `pg-trust-ckpt-${randomBytes(4).toString('hex')}:`;
  const auditPrefix = `${prefix}audit:`;
  let network: RegistryTestNetwork;
  let dir: string;
  let config: string;
  let nationalId: string;
  let fullName: string;
  let facilityCode: string;
  let gateway: { child: ChildProcessWithoutNullStreams; url: string; stderr: () => string } | null = null;

  beforeAll(async () => {
    network = await startRegistryTestNetwork(logger);
    const person = network.population.people.find((p) => p.records.length > 0 && p.card?.resultCode === '000');
    if (!person) throw new Error('fixture: population lacks a treated, insured person');
    nationalId = person.nationalId;
    fullName = person.name.full;
    facilityCode = person.records[0]?.facilityCode ?? '';
    dir = mkdtempSync(join(tmpdir(), 'pg-ckpt-'));
    config = join(dir, 'gateway.yaml');
    const hospital = network.sourceOf(facilityCode);
    // JSON is YAML.
    writeFileSync(config, JSON.stringify({
      server: { host: '127.0.0.1', port: 0 },
      auth: { kind: 'development' },
      identity: { url: network.identity.url, secret: network.identity.secret },
      insurance: { url: network.insurance.url, secret: network.insurance.secret },
      hospitals: [{ code: facilityCode, name: hospital.name, url: hospital.url, secret: hospital.secret }],
      state: { kind: 'redis', url: REDIS_URL, keyPrefix: prefix },
      audit: { checkpoint: { dir: join(dir, 'state'), key: generateSigningSecret(), replica: 'gw-a' } },
    }));
  }, CLI_TIMEOUT_MS);

  afterAll(async () => {
    await stopGateway();
    await network?.stop();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function startGateway(): Promise<void> {
    const started = await startCli(['gateway', '--config', config], 'patient-graph gateway at', CLI_TIMEOUT_MS, { LOG_LEVEL: 'info' });
    const url = /patient-graph gateway at (\S+)/.exec(started.stdout())?.[1];
    if (!url) throw new Error(`no gateway URL in ${started.stdout()}`);
    gateway = { child: started.child, url, stderr: started.stderr };
  }

  async function stopGateway(): Promise<void> {
    const running = gateway;
    gateway = null;
    if (!running || running.child.exitCode !== null) return;
    const exited = new Promise((resolve) => running.child.once('exit', resolve));
    running.child.kill('SIGTERM');
    await exited;
  }

  const ask = async (): Promise<Answer> => {
    if (!gateway) throw new Error('no gateway running');
    return postGraphQL(gateway.url, QUERY, { id: nationalId }, await tokenFor('clinician', { facilityCode, sub: 'ckpt-clinician' }));
  };
  const cli = (...args: string[]) => runCli(['audit', ...args, '--redis', REDIS_URL, '--prefix', auditPrefix]);

  it('refuses data after the restart until the gap is acknowledged, and verify reports the gap', async () => {
    await startGateway();
    for (let i = 0; i < 3; i++) {
      const answer = await ask();
      expect(answer.status).toBe(200);
      expect(answer.body.data?.patient?.name.full).toBe(fullName);
    }
    await stopGateway();
    const checkpointFile = join(dir, 'state', 'audit-checkpoint-gw-a.json');
    expect(JSON.parse(readFileSync(checkpointFile, 'utf8'))).toMatchObject({ seq: 3, log: `redis 127.0.0.1:6379/0 ${auditPrefix}` });

    // Redis loses the audit stream and its head while the gateway is down.
    const redis = new Redis(REDIS_URL);
    expect(await redis.del(`${auditPrefix}stream`, `${auditPrefix}head`)).toBe(2);
    await redis.quit();

    await startGateway();
    const refused = await ask();
    expect({ status: refused.status, codes: refused.body.errors?.map((e) => e.extensions?.code), data: refused.body.data ?? null }).toEqual({ status: 503, codes: ['AUDIT_UNAVAILABLE'], data: null });
    expect(refused.text).not.toContain(fullName);
    expect(gateway?.stderr()).toMatch(/"event":"audit\.redis\.records_lost".*"checkpointSeq":3,"headSeq":0,"noticed":"checkpoint"/);

    const pending = await cli('verify');
    expect(pending.code).toBe(1);
    expect(pending.stdout).toMatch(/^audit chain broken at record #1: records were lost: a gateway had written up to record #3, the log held #0/);
    expect((await ask()).status).toBe(503);

    const acknowledged = await cli('acknowledge-gap', '--reason', 'Redis lost the audit stream while the gateway was down (test)', '--operator', 'ops-on-call');
    expect(acknowledged.stderr).toBe('');
    expect(acknowledged.code).toBe(0);

    const after = await ask();
    expect(after.status).toBe(200);
    expect(after.body.data?.patient?.name.full).toBe(fullName);

    const verified = await cli('verify');
    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain('records were lost: 2 records, 1 acknowledged gap');
    expect(verified.stdout).toContain('by ops-on-call');
  }, 4 * CLI_TIMEOUT_MS);

  it('rotates the checkpoint key: refused under the new key alone, accepted once with previousKey and re-signed, then the new key alone starts', async () => {
    await stopGateway();
    const checkpointFile = join(dir, 'state', 'audit-checkpoint-gw-a.json');
    const before = JSON.parse(readFileSync(checkpointFile, 'utf8')) as { seq: number; mac: string };
    const stored = JSON.parse(readFileSync(config, 'utf8')) as { audit: { checkpoint: { key: string; previousKey?: string } } };
    const oldKey = stored.audit.checkpoint.key;
    const newKey = generateSigningSecret();
    const writeKeys = (checkpoint: { key: string; previousKey?: string }) => {
      writeFileSync(config, JSON.stringify({ ...stored, audit: { ...stored.audit, checkpoint: { dir: join(dir, 'state'), replica: 'gw-a', ...checkpoint } } }));
    };

    writeKeys({ key: newKey });
    const unrotated = await runCli(['gateway', '--config', config], { LOG_LEVEL: 'info' });
    expect(unrotated.code).not.toBe(0);
    expect(unrotated.stderr).toMatch(/audit-checkpoint-gw-a\.json fails its signature \(edited, or signed with another key\); refusing to start/);

    writeKeys({ key: newKey, previousKey: oldKey });
    await startGateway();
    expect(gateway?.stderr()).toMatch(/"event":"audit\.checkpoint\.rekeyed".*"seq":\d+/);
    expect(gateway?.stderr()).not.toContain(oldKey);
    expect(gateway?.stderr()).not.toContain(newKey);
    const served = await ask();
    expect(served.status).toBe(200);
    expect(served.body.data?.patient?.name.full).toBe(fullName);
    await stopGateway();
    const after = JSON.parse(readFileSync(checkpointFile, 'utf8')) as { seq: number; mac: string };
    expect(after.seq).toBeGreaterThan(before.seq);

    // The file is signed with the new key now: the old key alone no longer opens it, the new one does.
    writeKeys({ key: oldKey });
    const oldOnly = await runCli(['gateway', '--config', config], { LOG_LEVEL: 'info' });
    expect(oldOnly.code).not.toBe(0);
    expect(oldOnly.stderr).toMatch(/fails its signature/);
    writeKeys({ key: newKey });
    await startGateway();
    expect(gateway?.stderr()).not.toContain('audit.checkpoint.rekeyed');
    expect((await ask()).status).toBe(200);
    await stopGateway();
  }, 6 * CLI_TIMEOUT_MS);

  it('refuses to start when the checkpoint file was edited (its signature no longer matches)', async () => {
    await stopGateway();
    const checkpointFile = join(dir, 'state', 'audit-checkpoint-gw-a.json');
    const stored = JSON.parse(readFileSync(checkpointFile, 'utf8')) as { seq: number };
    writeFileSync(checkpointFile, JSON.stringify({ ...stored, seq: 0 }));
    const run = await runCli(['gateway', '--config', config], { LOG_LEVEL: 'info' });
    expect(run.code).not.toBe(0);
    expect(run.stdout).not.toContain('patient-graph gateway at');
    expect(run.stderr).toMatch(/audit-checkpoint-gw-a\.json fails its signature \(edited, or signed with another key\); refusing to start/);
  }, CLI_TIMEOUT_MS);
});
