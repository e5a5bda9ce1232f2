import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { PatientGraphError } from '../../../core/errors/PatientGraphError';
import { RedisAuditLog } from '../../../gateway/audit/RedisAuditLog';
import { captureLogger } from '../../helpers/captureLogger';
import { PATIENT_A, PATIENT_B, sampleAuditEntries, sampleAuditEntry } from '../../unit/gateway/audit/sampleAuditEntry';

const REDIS_URL = 'redis://127.0.0.1:6379';

describe('RedisAuditLog (against the Redis at 127.0.0.1:6379)', () => {
  let admin: Redis;
  let prefix: string;
  const opened: RedisAuditLog[] = [];

  async function connect(options: Partial<Parameters<typeof RedisAuditLog.connect>[0]> = {}): Promise<RedisAuditLog> {
    const log = await RedisAuditLog.connect({ url: REDIS_URL, keyPrefix: prefix, ...options });
    opened.push(log);
    return log;
  }

  beforeAll(() => {
    admin = new Redis(REDIS_URL);
  });

  beforeEach(() => {
    prefix = `pg-test:audit:${randomUUID()}:`;
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((log) => log.close()));
    await admin.del(`${prefix}stream`, `${prefix}head`, `${prefix}gap`, `${prefix}generation`);
  });

  afterAll(async () => {
    await admin.quit();
  });

  it('appends records to a stream keyed by seq and keeps the chain head in a key', async () => {
    const log = await connect();
    const first = await log.append(sampleAuditEntry());
    const second = await log.append(sampleAuditEntry({ traceId: 'trace-2' }));
    expect([first.seq, second.seq]).toEqual([1, 2]);
    expect(first.prevHash).toBe('0'.repeat(64));
    expect(second.prevHash).toBe(first.hash);
    expect((await admin.xrange(`${prefix}stream`, '-', '+')).map(([id]) => id)).toEqual(['1-0', '2-0']);
    expect(await admin.get(`${prefix}head`)).toBe(`2:${second.hash}`);
    expect(await log.verify()).toEqual({ kind: 'intact', count: 2 });
  });

  it('reads the records of one patient, and pages with afterSeq and limit', async () => {
    const log = await connect();
    await Promise.all(sampleAuditEntries(6).map((entry) => log.append(entry)));
    expect((await log.read({ patient: PATIENT_A })).map((r) => r.seq)).toEqual([1, 3, 5]);
    expect((await log.read({ patient: PATIENT_B, afterSeq: 2, limit: 1 })).map((r) => r.seq)).toEqual([4]);
    expect((await log.read({ afterSeq: 6 }))).toEqual([]);
  });

  it('keeps one intact chain when two replicas append concurrently', async () => {
    const [replicaA, replicaB] = [await connect(), await connect()];
    const entries = sampleAuditEntries(120);
    const records = await Promise.all(entries.map((entry, i) => (i % 2 === 0 ? replicaA : replicaB).append(entry)));
    expect(records.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));

    const auditor = await connect();
    expect(await auditor.verify()).toEqual({ kind: 'intact', count: 120 });
    const stored = await auditor.read();
    expect(new Map(stored.map((r) => [r.seq, r.hash]))).toEqual(new Map(records.map((r) => [r.seq, r.hash])));
    expect(new Set(stored.map((r) => r.traceId))).toEqual(new Set(entries.map((e) => e.traceId)));
  });

  it('names a record deleted from the middle of the stream', async () => {
    const log = await connect();
    for (const entry of sampleAuditEntries(4)) await log.append(entry);
    await admin.xdel(`${prefix}stream`, '2-0');
    expect(await log.verify()).toEqual({ kind: 'broken', seq: 2, reason: expect.stringContaining('record #2 is missing') });
  });

  it('names records deleted from the end of the stream, which the head key still counts', async () => {
    const log = await connect();
    for (const entry of sampleAuditEntries(4)) await log.append(entry);
    await admin.xdel(`${prefix}stream`, '4-0');
    expect(await log.verify()).toEqual({ kind: 'broken', seq: 4, reason: expect.stringContaining('removed from the end') });
  });

  it('names a record whose content was replaced', async () => {
    const log = await connect();
    for (const entry of sampleAuditEntries(3)) await log.append(entry);
    const original = await admin.xrange(`${prefix}stream`, '-', '+');
    await admin.del(`${prefix}stream`);
    for (const [id, [, text = '']] of original) {
      await admin.xadd(`${prefix}stream`, id, 'record', id === '2-0' ? text.replace('"success"', '"denied"') : text);
    }
    expect(await log.verify()).toEqual({ kind: 'broken', seq: 2, reason: expect.stringContaining('does not match its hash') });
  });

  it('refuses every append of every replica once the records it wrote are gone, until an operator acknowledges the gap; verify reports it', async () => {
    const { logger, lines } = captureLogger();
    const log = await connect({ logger });
    const written = [];
    for (const entry of sampleAuditEntries(2)) written.push(await log.append(entry));
    await admin.del(`${prefix}stream`, `${prefix}head`); // Redis restarted empty

    await expect(log.append(sampleAuditEntry({ traceId: 'after-flush' }))).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
    expect(lines.map((line) => JSON.parse(line) as { event: string })).toContainEqual(
      expect.objectContaining({ event: 'audit.redis.records_lost', checkpointSeq: 2, headSeq: 0 }),
    );
    await expect(log.checkAvailable()).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
    // Another replica, which never wrote before, is held back too: the loss is marked in Redis.
    const other = await connect();
    await expect(other.append(sampleAuditEntry({ traceId: 'other-replica' }))).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
    expect(await admin.xlen(`${prefix}stream`)).toBe(0);
    expect(await log.pendingGap()).toEqual({ expected: { seq: 2, hash: written[1]?.hash }, found: { seq: 0, hash: '0'.repeat(64) }, detectedAt: expect.any(String) });
    expect(await other.verify()).toEqual({ kind: 'broken', seq: 1, reason: expect.stringContaining('records were lost') });

    const acknowledgement = await other.acknowledgeGap({ operator: 'ops-on-call', reason: 'Redis restarted without persistence at 02:00' });
    expect(acknowledgement).toMatchObject({ seq: 1, principal: { sub: 'ops-on-call', role: 'admin' }, flags: ['review'], gap: { expected: { seq: 2 }, found: { seq: 0 } } });
    expect(await other.acknowledgeGap({ operator: 'ops-on-call', reason: 'Twice is once too many' })).toBeNull();

    await expect(log.checkAvailable()).resolves.toBeUndefined();
    expect((await log.append(sampleAuditEntry({ traceId: 'after-ack' }))).seq).toBe(2);
    expect((await other.append(sampleAuditEntry({ traceId: 'other-after-ack' }))).seq).toBe(3);
    expect(await log.verify()).toEqual({ kind: 'intact', count: 3, gaps: [expect.objectContaining({ seq: 1, acknowledgedBy: 'ops-on-call' })] });
  });

  it('notices the loss even when another replica has since written past its checkpoint', async () => {
    const log = await connect();
    for (const entry of sampleAuditEntries(2)) await log.append(entry);
    await admin.del(`${prefix}stream`, `${prefix}head`);
    const fresh = await connect();
    for (const entry of sampleAuditEntries(3)) await fresh.append({ ...entry, traceId: `fresh-${entry.traceId}` });

    await expect(log.append(sampleAuditEntry({ traceId: 'stale-replica' }))).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
    expect(await log.pendingGap()).toMatchObject({ expected: { seq: 2 }, found: { seq: 3 } });
    await expect(fresh.append(sampleAuditEntry({ traceId: 'fresh-replica' }))).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
  });

  it('refuses to append, with AUDIT_UNAVAILABLE, when the stream and the head disagree', async () => {
    const log = await connect();
    await log.append(sampleAuditEntry());
    await admin.set(`${prefix}head`, `7:${'e'.repeat(64)}`);
    const attempt = log.append(sampleAuditEntry({ traceId: 'after-edit' }));
    await expect(attempt).rejects.toBeInstanceOf(PatientGraphError);
    await expect(attempt).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE', cause: expect.objectContaining({ message: expect.stringContaining('disagree') }) });
    expect(await admin.xlen(`${prefix}stream`)).toBe(1);
  });
});
