import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningSecret } from '../../../core/security/generateSigningSecret';
import { FileAuditLog } from '../../../gateway/audit/FileAuditLog';
import { SignedCheckpointFile } from '../../../gateway/audit/SignedCheckpointFile';
import { sampleAuditEntry } from '../../unit/gateway/audit/sampleAuditEntry';

/**
 * docs/audit.md "A checkpoint that outlives a restart", for the embedded file: a file emptied or
 * replaced while the gateway was down is a loss at the next start, refused until acknowledged;
 * the acknowledged loss is not reported again at the start after.
 */
describe('FileAuditLog with a signed checkpoint, across restarts', () => {
  let dir: string;
  let path: string;
  const key = generateSigningSecret();
  const checkpoint = (): SignedCheckpointFile => new SignedCheckpointFile({ dir: join(dir, 'state'), replica: 'embedded', log: `file ${path}`, key });
  const refusal = async (promise: Promise<unknown>): Promise<unknown> => promise.then(() => 'resolved', (error: unknown) => (error as { code?: unknown }).code);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pg-file-ckpt-'));
    path = join(dir, 'audit.jsonl');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses after a restart on an emptied file until the gap is acknowledged, then serves, and a later restart is clean', async () => {
    const first = await FileAuditLog.open(path, { checkpoint: checkpoint() });
    await first.append(sampleAuditEntry());
    await first.append(sampleAuditEntry());
    await first.close();
    writeFileSync(path, ''); // emptied while the gateway was down

    const second = await FileAuditLog.open(path, { checkpoint: checkpoint() });
    expect(await refusal(second.checkAvailable())).toBe('AUDIT_UNAVAILABLE');
    expect(await refusal(second.append(sampleAuditEntry()))).toBe('AUDIT_UNAVAILABLE');
    expect(await second.pendingGap()).toMatchObject({ expected: { seq: 2 }, found: { seq: 0 } });
    expect(await second.verify()).toMatchObject({ kind: 'broken', reason: expect.stringMatching(/^records were lost: the gateway had written up to record #2, the file held #0/) });

    const operator = await FileAuditLog.openReadOnly(path);
    expect((await operator.acknowledgeGap({ operator: 'ops', reason: 'The disk was replaced (test)' }))?.seq).toBe(1);
    await expect(second.checkAvailable()).resolves.toBeUndefined();
    expect((await second.append(sampleAuditEntry())).seq).toBe(2);
    await second.close();

    const third = await FileAuditLog.open(path, { checkpoint: checkpoint() });
    await expect(third.checkAvailable()).resolves.toBeUndefined();
    expect((await third.append(sampleAuditEntry())).seq).toBe(3);
    expect(await third.verify()).toMatchObject({ kind: 'intact', count: 3, gaps: [{ seq: 1, acknowledgedBy: 'ops' }] });
    await third.close();
  });

  it('takes a file that still holds the checkpoint as it is', async () => {
    const first = await FileAuditLog.open(path, { checkpoint: checkpoint() });
    await first.append(sampleAuditEntry());
    await first.close();
    const second = await FileAuditLog.open(path, { checkpoint: checkpoint() });
    await expect(second.checkAvailable()).resolves.toBeUndefined();
    expect((await second.append(sampleAuditEntry())).seq).toBe(2);
    await second.close();
  });
});
