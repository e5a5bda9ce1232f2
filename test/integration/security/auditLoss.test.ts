import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import { startDemoNetwork, type DemoNetwork } from '../../../demo/startDemoNetwork';
import { RedisAuditLog } from '../../../gateway/audit/RedisAuditLog';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL, type GraphQLHttpResponse } from '../../helpers/postGraphQL';
import { runCli } from '../../helpers/runCli';
import { freePort, startRedisServer, type RunningRedisServer } from '../../helpers/startRedisServer';
import { tokenFor } from '../../helpers/tokens';

const population = createDemoPopulation();
const person = population.people.find((p) => p.records.length > 0 && p.card?.resultCode === '000');
const QUERY = 'query($id: ID!) { patient(nationalId: $id) { name { full } encounters { id } } }';
const PREFIX = 'pg-trust-audit:loss:';
/** Every CLI start compiles the sources through tsx: seconds each, more on a busy machine. */
const CLI_TIMEOUT_MS = 120_000;

type Answer = GraphQLHttpResponse<{ patient: { name: { full: string } } | null }>;

describe('gateway whose Redis audit log restarts empty (no persistence)', () => {
  let redis: RunningRedisServer;
  let port: number;
  let network: DemoNetwork;
  const { logger, lines } = captureLogger();

  beforeAll(async () => {
    if (!person) throw new Error('fixture: population lacks a treated, insured person');
    port = await freePort();
    redis = await startRedisServer(port);
    const audit = await RedisAuditLog.connect({ url: `redis://127.0.0.1:${port}`, keyPrefix: PREFIX, logger });
    network = await startDemoNetwork({ logger, population, audit });
  }, 120_000);

  afterAll(async () => {
    await network.stop();
    await redis.stop();
  });

  const ask = async (): Promise<Answer> =>
    postGraphQL(network.gateway.url, QUERY, { id: person?.nationalId }, await tokenFor('clinician', { facilityCode: person?.records[0]?.facilityCode ?? '', sub: 'bs-loss' }));
  /** During any audit trouble an answer is 503 AUDIT_UNAVAILABLE with no data: never 200, never 500. */
  const expectRefused = (answer: Answer): void => {
    expect({ status: answer.status, codes: answer.body.errors?.map((e) => e.extensions?.code), data: answer.body.data ?? null }).toEqual({ status: 503, codes: ['AUDIT_UNAVAILABLE'], data: null });
    expect(answer.text).not.toContain(person?.name.full ?? '###');
  };
  const cli = (...args: string[]) => runCli(['audit', ...args, '--redis', `redis://127.0.0.1:${port}`, '--prefix', PREFIX]);

  it('refuses data from the outage on, notices the loss once Redis is back empty, serves again only after the gap is acknowledged, and verify reports it', async () => {
    const before = await ask();
    expect(before.status).toBe(200);
    expect(before.body.data?.patient?.name.full).toBe(person?.name.full);

    await redis.stop('SIGKILL');
    expectRefused(await ask());
    redis = await startRedisServer(port); // empty: it kept nothing

    // Until the client reconnects, and after: refused, whatever the timing.
    for (let attempt = 0; attempt < 60 && !lines.some((line) => line.includes('"audit.redis.records_lost"')); attempt++) {
      expectRefused(await ask());
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(lines.some((line) => line.includes('"audit.redis.records_lost"'))).toBe(true);
    expectRefused(await ask());
    expectRefused(await ask());

    const [pending, typo, badReason] = await Promise.all([
      cli('verify'),
      runCli(['audit', 'verify', '--redis', `redis://127.0.0.1:${port}`, '--prefix', 'pg-trust-audit:los:']),
      cli('acknowledge-gap', '--reason', '\u200b'.repeat(11)),
    ]);
    expect(pending.code).toBe(1);
    expect(pending.stdout).toMatch(/^audit chain broken at record #1: records were lost: a gateway had written up to record #1, the log held #0/);
    expect(typo.code).toBe(1);
    expect(typo.stdout).toContain('no audit records at redis://127.0.0.1');
    expect(badReason.code).toBe(2);
    expectRefused(await ask());

    const acknowledged = await cli('acknowledge-gap', '--reason', 'Redis restarted without persistence during the test', '--operator', 'ops-on-call');
    expect(acknowledged.stderr).toBe('');
    expect(acknowledged.stdout).toContain('gap recorded as audit record #1');
    expect(acknowledged.code).toBe(0);

    const after = await ask();
    expect(after.status).toBe(200);
    expect(after.body.data?.patient?.name.full).toBe(person?.name.full);

    const [verified, again] = await Promise.all([cli('verify'), cli('acknowledge-gap', '--reason', 'Nothing is pending any more')]);
    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain('records were lost: 2 records, 1 acknowledged gap');
    expect(verified.stdout).toContain('gap acknowledged at record #1');
    expect(verified.stdout).toContain('by ops-on-call');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('no lost records are waiting');
    const records = await network.audit.read();
    expect(records.map((r) => [r.seq, r.gap !== undefined, r.principal.sub])).toEqual([[1, true, 'ops-on-call'], [2, false, 'bs-loss']]);
  }, CLI_TIMEOUT_MS);
});
