import { randomUUID } from 'node:crypto';
import { PatientGraphError } from '../../../core/errors/PatientGraphError';
import type { AuditRecord } from '../../../gateway/audit/AuditRecord';
import { RedisAuditLog } from '../../../gateway/audit/RedisAuditLog';
import { sampleAuditEntries, sampleAuditEntry } from '../../unit/gateway/audit/sampleAuditEntry';
import { tempDirectory } from './auditFileFixtures';
import { freePort, startRedisServer, type RunningRedisServer } from '../../helpers/startRedisServer';

describe('RedisAuditLog when Redis goes down (own redis-server on a random port)', () => {
  let dir: { path: string; remove: () => Promise<void> };
  let server: RunningRedisServer | undefined;
  let log: RedisAuditLog | undefined;

  beforeEach(async () => {
    dir = await tempDirectory();
  });

  afterEach(async () => {
    await log?.close();
    await server?.stop('SIGKILL');
    log = undefined;
    server = undefined;
    await dir.remove();
  });

  it('fails appends with AUDIT_UNAVAILABLE within 2 s, then continues the chain without a gap once Redis is back', async () => {
    const port = await freePort();
    server = await startRedisServer(port, dir.path);
    log = await RedisAuditLog.connect({ url: `redis://127.0.0.1:${port}`, keyPrefix: `pg-test:audit:${randomUUID()}:`, timeoutMs: 1000 });
    const acknowledged: AuditRecord[] = [];
    for (const entry of sampleAuditEntries(3)) acknowledged.push(await log.append(entry));

    await server.stop('SIGKILL');
    // The first append goes out before the client has noticed the lost connection, the second
    // after (while it is reconnecting): both must fail fast.
    for (const [traceId, pauseMs] of [['during-outage-1', 0], ['during-outage-2', 300]] as const) {
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
      // Redis stays down until after this loop: an append that waited for it would never return.
      const attempt = log.append(sampleAuditEntry({ traceId }));
      await expect(attempt).rejects.toBeInstanceOf(PatientGraphError);
      await expect(attempt).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
    }

    server = await startRedisServer(port, dir.path);
    const next = await log.append(sampleAuditEntry({ traceId: 'after-restart' }));
    const last = acknowledged[acknowledged.length - 1];
    expect(next.seq).toBe(4);
    expect(next.prevHash).toBe(last?.hash);

    expect(await log.verify()).toEqual({ kind: 'intact', count: 4 });
    const stored = await log.read();
    for (const record of [...acknowledged, next]) expect(stored.find((r) => r.seq === record.seq)?.hash).toBe(record.hash);
    expect(stored.map((r) => r.traceId)).not.toContain('during-outage-1');
  });

  it('refuses to connect, with AUDIT_UNAVAILABLE, when nothing listens', async () => {
    const port = await freePort();
    await expect(RedisAuditLog.connect({ url: `redis://127.0.0.1:${port}`, keyPrefix: 'pg-test:audit:none:', timeoutMs: 1000 })).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
  });
});
