import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { generateSigningSecret } from '../../../core/security/generateSigningSecret';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import { startDemoNetwork } from '../../../demo/startDemoNetwork';
import { PostgresAuditLog } from '../../../gateway/audit/PostgresAuditLog';
import { SignedCheckpointFile } from '../../../gateway/audit/SignedCheckpointFile';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL } from '../../helpers/postGraphQL';
import { runCli } from '../../helpers/runCli';
import { tokenFor } from '../../helpers/tokens';
import { sampleAuditEntry } from '../../unit/gateway/audit/sampleAuditEntry';

const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/test';
const NAME = `pg_trust_gap_${process.pid}_${randomBytes(4).toString('hex')}`;
const URL = `postgres://postgres@127.0.0.1:5432/${NAME}`;
/** Every CLI start compiles the sources through tsx: seconds each, more on a busy machine. */
const CLI_TIMEOUT_MS = 120_000;

async function sql(url: string, statement: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * docs/audit.md "Lost records are noticed, refused, and recorded", for `audit: { store: postgres }`:
 * rows deleted, the table truncated, or the tables gone while a gateway was down (its signed
 * checkpoint says so) — every gateway refuses until `audit acknowledge-gap`, and `audit verify`
 * reports the gap and exits 1.
 */
describe('PostgresAuditLog gap marker (the PostgreSQL at 127.0.0.1:5432, a database of its own)', () => {
  const opened: PostgresAuditLog[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'pg-audit-gap-'));
  let prefix: string;
  let counter = 0;
  const { logger, lines } = captureLogger();

  async function connect(checkpoint?: SignedCheckpointFile): Promise<PostgresAuditLog> {
    const log = await PostgresAuditLog.connect({ url: URL, tablePrefix: prefix, logger, ...(checkpoint ? { checkpoint } : {}) });
    opened.push(log);
    return log;
  }
  const cli = (...args: string[]) => runCli(['audit', ...args, '--postgres', URL, '--prefix', prefix]);
  const refusal = async (promise: Promise<unknown>): Promise<unknown> => promise.then(() => 'resolved', (error: unknown) => (error as { code?: unknown }).code);

  beforeAll(async () => {
    await sql(ADMIN_URL, `CREATE DATABASE ${NAME}`);
  }, 60_000);
  beforeEach(() => {
    prefix = `gap${counter++}_`;
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((log) => log.close()));
  });
  afterAll(async () => {
    await sql(ADMIN_URL, `DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
    rmSync(dir, { recursive: true, force: true });
  });

  it('notices rows deleted from the end, refuses every gateway until the gap is acknowledged, and verify reports it', async () => {
    const [a, b] = [await connect(), await connect()];
    for (let i = 0; i < 3; i++) await a.append(sampleAuditEntry({ traceId: `t${i}` }));
    await sql(URL, `DELETE FROM ${prefix}records WHERE seq > 1`);

    expect(await refusal(a.append(sampleAuditEntry()))).toBe('AUDIT_UNAVAILABLE');
    expect(lines.some((line) => line.includes('"audit.postgres.records_lost"') && line.includes('"checkpointSeq":3,"headSeq":1'))).toBe(true);
    expect(await refusal(b.append(sampleAuditEntry()))).toBe('AUDIT_UNAVAILABLE');
    expect(await refusal(a.checkAvailable())).toBe('AUDIT_UNAVAILABLE');
    expect(await a.pendingGap()).toMatchObject({ expected: { seq: 3 }, found: { seq: 1 } });

    const pending = await cli('verify');
    expect(pending.code).toBe(1);
    expect(pending.stdout).toMatch(/^audit chain broken at record #2: records were lost: a gateway had written up to record #3, the log held #1/);

    const acknowledged = await cli('acknowledge-gap', '--reason', 'Rows deleted by a faulty retention job (test)', '--operator', 'dba-on-call');
    expect(acknowledged.stderr).toBe('');
    expect(acknowledged.code).toBe(0);
    expect(acknowledged.stdout).toContain('gap recorded as audit record #2');

    await expect(a.checkAvailable()).resolves.toBeUndefined();
    expect((await a.append(sampleAuditEntry())).seq).toBe(3);
    expect((await b.append(sampleAuditEntry())).seq).toBe(4);
    const verified = await cli('verify');
    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain('records were lost: 4 records, 1 acknowledged gap');
    expect(verified.stdout).toContain('by dba-on-call');
  }, 3 * CLI_TIMEOUT_MS);

  it('notices a truncated table', async () => {
    const log = await connect();
    await log.append(sampleAuditEntry());
    await sql(URL, `TRUNCATE ${prefix}records`);
    expect(await refusal(log.append(sampleAuditEntry()))).toBe('AUDIT_UNAVAILABLE');
    expect(await log.pendingGap()).toMatchObject({ expected: { seq: 1 }, found: { seq: 0 } });
  });

  it('notices at start, against its signed checkpoint, that the tables were lost while it was down', async () => {
    const checkpoint = (): SignedCheckpointFile => new SignedCheckpointFile({ dir, replica: `gw-${prefix}`, log: `postgres test ${prefix}`, key });
    const key = generateSigningSecret();
    const before = await connect(checkpoint());
    await before.append(sampleAuditEntry());
    await before.append(sampleAuditEntry());
    await before.close();
    await sql(URL, `DROP TABLE ${prefix}records, ${prefix}head`);

    const after = await connect(checkpoint());
    expect(await refusal(after.checkAvailable())).toBe('AUDIT_UNAVAILABLE');
    expect(await refusal(after.append(sampleAuditEntry()))).toBe('AUDIT_UNAVAILABLE');
    expect(await after.pendingGap()).toMatchObject({ expected: { seq: 2 }, found: { seq: 0 } });
  });

  it('through the real gateway: 200, rows truncated → 503 AUDIT_UNAVAILABLE with no data, acknowledged → 200', async () => {
    const population = createDemoPopulation();
    const person = population.people.find((p) => p.records.length > 0 && p.card?.resultCode === '000');
    if (!person) throw new Error('fixture: population lacks a treated, insured person');
    const audit = await PostgresAuditLog.connect({ url: URL, tablePrefix: prefix, logger });
    const network = await startDemoNetwork({ logger, population, audit, hospitalKinds: 'synthetic' });
    try {
      const ask = async () => postGraphQL<{ patient: { name: { full: string } } | null }>(
        network.gateway.url,
        'query($id: ID!) { patient(nationalId: $id) { name { full } } }',
        { id: person.nationalId },
        await tokenFor('clinician', { facilityCode: person.records[0]?.facilityCode ?? '', sub: 'pg-gap' }),
      );
      expect((await ask()).status).toBe(200);
      await sql(URL, `TRUNCATE ${prefix}records`);
      for (let i = 0; i < 2; i++) {
        const refused = await ask();
        expect({ status: refused.status, codes: refused.body.errors?.map((e) => e.extensions?.code), data: refused.body.data ?? null }).toEqual({ status: 503, codes: ['AUDIT_UNAVAILABLE'], data: null });
        expect(refused.text).not.toContain(person.name.full);
      }
      expect((await cli('acknowledge-gap', '--reason', 'Table truncated by mistake during the test')).code).toBe(0);
      const served = await ask();
      expect(served.status).toBe(200);
      expect(served.body.data?.patient?.name.full).toBe(person.name.full);
    } finally {
      await network.stop();
    }
  }, 2 * CLI_TIMEOUT_MS);
});
