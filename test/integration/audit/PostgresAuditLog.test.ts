import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { PostgresAuditLog } from '../../../gateway/audit/PostgresAuditLog';
import { runCli } from '../../helpers/runCli';
import { freePort } from '../../helpers/startRedisServer';
import { PATIENT_A, PATIENT_B, sampleAuditEntries, sampleAuditEntry } from '../../unit/gateway/audit/sampleAuditEntry';

const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/test';
const NAME = `pg_trust_audit_${process.pid}_${randomBytes(4).toString('hex')}`;
const URL = `postgres://postgres@127.0.0.1:5432/${NAME}`;

async function sql(url: string, statement: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(statement, values)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

describe('PostgresAuditLog (against the PostgreSQL at 127.0.0.1:5432, a database of its own)', () => {
  const opened: PostgresAuditLog[] = [];
  let prefix: string;

  async function connect(): Promise<PostgresAuditLog> {
    const log = await PostgresAuditLog.connect({ url: URL, tablePrefix: prefix });
    opened.push(log);
    return log;
  }

  beforeAll(async () => {
    await sql(ADMIN_URL, `CREATE DATABASE ${NAME}`);
  }, 60_000);

  let counter = 0;
  beforeEach(() => {
    prefix = `audit${counter++}_`;
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((log) => log.close()));
  });

  afterAll(async () => {
    await sql(ADMIN_URL, `DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
  });

  it('appends hash-chained records, one row each, and verifies them', async () => {
    const log = await connect();
    const first = await log.append(sampleAuditEntry());
    const second = await log.append(sampleAuditEntry({ traceId: 'trace-2' }));
    expect([first.seq, second.seq]).toEqual([1, 2]);
    expect(second.prevHash).toBe(first.hash);
    expect(await sql(URL, `SELECT seq::int, hash FROM ${prefix}records ORDER BY seq`)).toEqual([{ seq: 1, hash: first.hash }, { seq: 2, hash: second.hash }]);
    expect(await sql(URL, `SELECT seq::int FROM ${prefix}head`)).toEqual([{ seq: 2 }]);
    expect(await log.verify()).toEqual({ kind: 'intact', count: 2 });
  });

  it('keeps one chain when two gateways append concurrently (the head row is locked per group)', async () => {
    const [gatewayA, gatewayB] = [await connect(), await connect()];
    const entries = sampleAuditEntries(120);
    const records = await Promise.all(entries.map((entry, i) => (i % 2 === 0 ? gatewayA : gatewayB).append(entry)));
    expect(records.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    const auditor = await connect();
    expect(await auditor.verify()).toEqual({ kind: 'intact', count: 120 });
    expect(new Set((await auditor.read()).map((r) => r.traceId))).toEqual(new Set(entries.map((e) => e.traceId)));
  });

  it('reads per patient, per subject and time window, and pages with afterSeq and limit', async () => {
    const log = await connect();
    for (const entry of sampleAuditEntries(6)) await log.append(entry);
    await log.append(sampleAuditEntry({ principal: { sub: 'auditor-7', role: 'auditor', facilityCode: null, purposeOfUse: 'operations', tokenId: null }, patients: [] }));
    expect((await log.read({ patient: PATIENT_A })).map((r) => r.seq)).toEqual([1, 3, 5]);
    expect((await log.read({ patient: PATIENT_B, afterSeq: 2, limit: 1 })).map((r) => r.seq)).toEqual([4]);
    expect((await log.read({ sub: 'auditor-7' })).map((r) => r.seq)).toEqual([7]);
    expect((await log.read({ from: '2026-03-01T01:31:00.000Z', to: '2026-03-01T01:33:00.000Z', sub: 'dr-nguyen-01' })).map((r) => r.seq)).toEqual([2, 3, 4]);
  });

  it('has an index the per-patient read can use', async () => {
    await connect();
    const client = new Client({ connectionString: URL });
    await client.connect();
    try {
      await client.query('SET enable_seqscan = off');
      const plan = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN SELECT seq, record FROM ${prefix}records WHERE patients @> ARRAY[$1]::text[] ORDER BY seq`, [PATIENT_A]);
      expect(plan.rows.map((row) => row['QUERY PLAN']).join('\n')).toContain(`${prefix}records_patients`);
    } finally {
      await client.end();
    }
  });

  it('names a record whose stored content was changed, and records removed from the end', async () => {
    const log = await connect();
    for (const entry of sampleAuditEntries(4)) await log.append(entry);
    await sql(URL, `UPDATE ${prefix}records SET record = replace(record, '"success"', '"denied"') WHERE seq = 2`);
    expect(await log.verify()).toEqual({ kind: 'broken', seq: 2, reason: expect.stringContaining('does not match its hash') });
    await sql(URL, `UPDATE ${prefix}records SET record = replace(record, '"denied"', '"success"') WHERE seq = 2`);
    await sql(URL, `DELETE FROM ${prefix}records WHERE seq = 4`);
    expect(await log.verify()).toEqual({ kind: 'broken', seq: 4, reason: expect.stringContaining('removed from the end') });
  });

  it('fails with AUDIT_UNAVAILABLE when PostgreSQL cannot be reached', async () => {
    const port = await freePort();
    await expect(PostgresAuditLog.connect({ url: `postgres://postgres@127.0.0.1:${port}/none`, statementTimeoutMs: 1000 })).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
  });

  it('is verified by patient-graph audit verify --postgres; a wrong --prefix reads as no records, exits 1 and creates nothing', async () => {
    const log = await connect();
    for (const entry of sampleAuditEntries(3)) await log.append(entry);
    const [intact, typo] = await Promise.all([
      runCli(['audit', 'verify', '--postgres', URL, '--prefix', prefix]),
      runCli(['audit', 'verify', '--postgres', URL, '--prefix', 'audit_typo_']),
    ]);
    expect(intact.stdout.trim()).toBe('audit chain intact: 3 records');
    expect(intact.code).toBe(0);
    expect(typo.stdout).toContain('no audit records at postgres://127.0.0.1:5432');
    expect(typo.code).toBe(1);
    expect(await sql(URL, "SELECT to_regclass('audit_typo_records') AS t")).toEqual([{ t: null }]);
  }, 120_000);
});
