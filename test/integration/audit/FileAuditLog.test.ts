import { open, readFile, rename, rm, stat, truncate, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { PatientGraphError } from '../../../core/errors/PatientGraphError';
import { FileAuditLog } from '../../../gateway/audit/FileAuditLog';
import { verifyAuditChain } from '../../../gateway/audit/verifyAuditChain';
import { PATIENT_A, PATIENT_B, sampleAuditEntries, sampleAuditEntry } from '../../unit/gateway/audit/sampleAuditEntry';
import { TAMPERINGS, tamperAuditFile, tempDirectory, writeAuditFile } from './auditFileFixtures';

describe('FileAuditLog', () => {
  let dir: { path: string; remove: () => Promise<void> };
  let file: string;
  const opened: FileAuditLog[] = [];

  async function openLog(path = file): Promise<FileAuditLog> {
    const log = await FileAuditLog.open(path);
    opened.push(log);
    return log;
  }

  beforeEach(async () => {
    dir = await tempDirectory();
    file = join(dir.path, 'state', 'audit.jsonl');
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await Promise.all(opened.splice(0).map((log) => log.close()));
    await dir.remove();
  });

  it('creates its directory with mode 0700 and its file with mode 0600', async () => {
    await openLog();
    expect((await stat(join(dir.path, 'state'))).mode & 0o777).toBe(0o700);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('resolves an append only after the record is written and the file datasynced', async () => {
    const log = await openLog();
    const probe = await open(file, 'r');
    const fileHandlePrototype = Object.getPrototypeOf(probe) as FileHandle;
    await probe.close();
    const events: string[] = [];
    const datasync = fileHandlePrototype.datasync;
    jest.spyOn(fileHandlePrototype, 'datasync').mockImplementation(async function (this: FileHandle) {
      events.push('datasync');
      return datasync.call(this);
    });
    const record = await log.append(sampleAuditEntry());
    events.push('resolved');
    expect(events).toEqual(['datasync', 'resolved']);
    expect(await readFile(file, 'utf8')).toContain(record.hash);
  });

  it('writes one canonical JSON line per record, chained from 64 zeros', async () => {
    const log = await openLog();
    const first = await log.append(sampleAuditEntry());
    const second = await log.append(sampleAuditEntry({ traceId: 'trace-2' }));
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0] ?? '')).toEqual(first);
    expect(first.prevHash).toBe('0'.repeat(64));
    expect(second.prevHash).toBe(first.hash);
    expect(verifyAuditChain(lines)).toEqual({ kind: 'intact', count: 2 });
  });

  it('continues the chain across close and reopen', async () => {
    const log = await openLog();
    const before = await log.append(sampleAuditEntry());
    await log.close();
    const reopened = await openLog();
    const after = await reopened.append(sampleAuditEntry({ traceId: 'after-reopen' }));
    expect(after.seq).toBe(2);
    expect(after.prevHash).toBe(before.hash);
    expect(await reopened.verify()).toEqual({ kind: 'intact', count: 2 });
  });

  it('keeps one linear chain under 200 concurrent appends, sharing fsyncs between them', async () => {
    const log = await openLog();
    const probe = await open(file, 'r');
    const datasync = jest.spyOn(Object.getPrototypeOf(probe) as FileHandle, 'datasync');
    await probe.close();
    const records = await Promise.all(sampleAuditEntries(200).map((entry) => log.append(entry)));
    expect(records.map((r) => r.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(await log.verify()).toEqual({ kind: 'intact', count: 200 });
    expect(datasync.mock.calls.length).toBeLessThan(200);
  });

  it('reads records by patient, subject, time range and page, in seq order', async () => {
    const log = await openLog();
    for (const entry of sampleAuditEntries(6)) await log.append(entry);
    await log.append(sampleAuditEntry({ time: '2026-03-01T03:00:00.000Z', principal: { ...sampleAuditEntry().principal, sub: 'dr-le-02' } }));

    expect((await log.read({ patient: PATIENT_B })).map((r) => r.seq)).toEqual([2, 4, 6]);
    expect((await log.read({ sub: 'dr-le-02' })).map((r) => r.seq)).toEqual([7]);
    expect((await log.read({ from: '2026-03-01T01:31:00.000Z', to: '2026-03-01T08:33:00+07:00' })).map((r) => r.seq)).toEqual([2, 3, 4]);
    expect((await log.read({ afterSeq: 2, limit: 3 })).map((r) => r.seq)).toEqual([3, 4, 5]);
    expect((await log.read({ patient: PATIENT_A, afterSeq: 3 })).map((r) => r.seq)).toEqual([5, 7]);
  });

  it('refuses a second writer on the same file in one process', async () => {
    await openLog();
    await expect(FileAuditLog.open(file)).rejects.toThrow('already open for appending');
  });

  it('refuses every append after a failed write, until reopened', async () => {
    const log = await openLog();
    await log.append(sampleAuditEntry());
    const probe = await open(file, 'r');
    jest.spyOn(Object.getPrototypeOf(probe) as FileHandle, 'datasync').mockRejectedValueOnce(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }));
    await probe.close();

    const failed = log.append(sampleAuditEntry({ traceId: 'during-failure' }));
    await expect(failed).rejects.toBeInstanceOf(PatientGraphError);
    await expect(failed).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE', message: 'The audit record could not be written, so no data was returned.' });
    await expect(log.append(sampleAuditEntry({ traceId: 'after-failure' }))).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE' });

    // The failed record reached the file but was never acknowledged: the log over-reports, and
    // a reopened log verifies it and goes on after it.
    await log.close();
    const reopened = await openLog();
    expect((await reopened.append(sampleAuditEntry({ traceId: 'after-reopen' }))).seq).toBe(3);
    expect(await reopened.verify()).toEqual({ kind: 'intact', count: 3 });
  });

  it('rejects a malformed entry alone, without failing the appends around it', async () => {
    const log = await openLog();
    const results = await Promise.allSettled([
      log.append(sampleAuditEntry()),
      log.append(sampleAuditEntry({ patients: ['not-an-id'] })),
      log.append(sampleAuditEntry({ traceId: 'third' })),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await log.verify()).toEqual({ kind: 'intact', count: 2 });
  });

  it('notices records cut from the end of the file while it is open', async () => {
    const log = await openLog();
    for (const entry of sampleAuditEntries(3)) await log.append(entry);
    const lines = (await readFile(file, 'utf8')).split('\n');
    await truncate(file, Buffer.byteLength(`${lines.slice(0, 2).join('\n')}\n`));
    expect(await log.verify()).toEqual({ kind: 'broken', seq: 3, reason: expect.stringContaining('removed from the end') });
  });

  describe.each(TAMPERINGS)('on a file with $name', ({ apply, brokenSeq }) => {
    beforeEach(async () => {
      await writeAuditFile(file, 5);
      await tamperAuditFile(file, apply);
    });

    it(`verify names record #${brokenSeq} as the first broken one`, async () => {
      const reader = await FileAuditLog.openReadOnly(file);
      opened.push(reader);
      expect(await reader.verify()).toEqual({ kind: 'broken', seq: brokenSeq, reason: expect.stringContaining(`#${brokenSeq}`) });
    });

    it('refuses to open it for appending, with AUDIT_UNAVAILABLE naming the record', async () => {
      await expect(FileAuditLog.open(file)).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE', message: expect.stringContaining(`broken at record #${brokenSeq}`) });
    });
  });

  it('verifies an untouched file as intact when opened read-only, and cannot append to it', async () => {
    await writeAuditFile(file, 5);
    const reader = await FileAuditLog.openReadOnly(file);
    opened.push(reader);
    expect(await reader.verify()).toEqual({ kind: 'intact', count: 5 });
    await expect(reader.append(sampleAuditEntry())).rejects.toThrow('read-only');
  });

  it('says so when there is no log to read', async () => {
    await expect(FileAuditLog.openReadOnly(join(dir.path, 'missing.jsonl'))).rejects.toThrow('no audit log at');
  });

  it.each([
    ['deleted', async (path: string) => rm(path)],
    ['cut short', async (path: string) => truncate(path, 0)],
    ['replaced by another file', async (path: string) => rename(path, `${path}.moved`).then(() => writeFile(path, '', { mode: 0o600 }))],
  ])('notices its file %s under it, refuses every append until the gap is acknowledged, then goes on in the file at the path', async (_name, lose) => {
    const log = await openLog();
    const written = [];
    for (const entry of sampleAuditEntries(3)) written.push(await log.append(entry));
    await lose(file);

    await expect(log.append(sampleAuditEntry({ traceId: 'after-loss' }))).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
    await expect(log.checkAvailable()).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
    await expect(log.append(sampleAuditEntry({ traceId: 'still-lost' }))).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
    expect(await log.pendingGap()).toMatchObject({ expected: { seq: 3, hash: written[2]?.hash }, found: { seq: 0 } });

    const operator = await FileAuditLog.openReadOnly(file);
    expect(await operator.verify()).toMatchObject({ kind: 'broken', seq: 1, reason: expect.stringContaining('records were lost') });
    expect(await operator.acknowledgeGap({ operator: 'ops-on-call', reason: 'The audit file was removed by a cleanup job' })).toMatchObject({ seq: 1, gap: { expected: { seq: 3 } } });
    await operator.close();

    await expect(log.checkAvailable()).resolves.toBeUndefined();
    expect((await log.append(sampleAuditEntry({ traceId: 'after-ack' }))).seq).toBe(2);
    expect(await log.verify()).toEqual({ kind: 'intact', count: 2, gaps: [expect.objectContaining({ seq: 1, acknowledgedBy: 'ops-on-call' })] });
  });

  it('refuses to write after a restart while a noticed loss is still unacknowledged', async () => {
    const log = await openLog();
    await log.append(sampleAuditEntry());
    await rm(file);
    await expect(log.append(sampleAuditEntry({ traceId: 'after-loss' }))).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
    await log.close();
    opened.splice(0);

    const restarted = await openLog();
    await expect(restarted.checkAvailable()).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
    await expect(restarted.append(sampleAuditEntry({ traceId: 'after-restart' }))).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
  });
});
