import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningSecret } from '../../../../core/security/generateSigningSecret';
import type { Logger } from '../../../../core/logging/logger';
import { SignedCheckpointFile } from '../../../../gateway/audit/SignedCheckpointFile';
import { captureLogger } from '../../../helpers/captureLogger';

const HASH = 'a'.repeat(64);

describe('SignedCheckpointFile', () => {
  let dir: string;
  const key = generateSigningSecret();
  const file = (options: Partial<{ key: string; log: string; replica: string; previousKey: string; logger: Logger }> = {}) =>
    new SignedCheckpointFile({
      dir,
      replica: options.replica ?? 'gw-1',
      log: options.log ?? 'redis 127.0.0.1:6379/0 p:audit:',
      key: options.key ?? key,
      ...(options.previousKey ? { previousKey: options.previousKey } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
    });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pg-ckpt-unit-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('has no checkpoint before the first save, then loads the newest one saved, in a 0600 file and no temporary left', async () => {
    const checkpoint = file();
    expect(await checkpoint.load()).toBeNull();
    for (let seq = 1; seq <= 20; seq++) checkpoint.save({ head: { seq, hash: HASH }, generation: '' });
    await checkpoint.flush();
    expect(await file().load()).toEqual({ head: { seq: 20, hash: HASH }, generation: '' });
    expect(statSync(checkpoint.path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['audit-checkpoint-gw-1.json']);
  });

  it.each([
    ['a changed seq', (stored: Record<string, unknown>) => ({ ...stored, seq: 0 })],
    ['a changed generation', (stored: Record<string, unknown>) => ({ ...stored, generation: 'forged' })],
    ['a removed signature', ({ mac: _mac, ...stored }: Record<string, unknown>) => stored],
  ])('refuses a file with %s', async (_label, edit) => {
    const checkpoint = file();
    checkpoint.save({ head: { seq: 7, hash: HASH }, generation: 'g1' });
    await checkpoint.flush();
    const stored = JSON.parse(readFileSync(checkpoint.path, 'utf8')) as Record<string, unknown>;
    writeFileSync(checkpoint.path, JSON.stringify(edit(stored)));
    await expect(file().load()).rejects.toThrow(/fails its signature \(edited, or signed with another key\); refusing to start/);
  });

  it('refuses a checkpoint signed with another key, one about another store, and one that is not JSON', async () => {
    const checkpoint = file();
    checkpoint.save({ head: { seq: 3, hash: HASH }, generation: '' });
    await checkpoint.flush();
    await expect(file({ key: generateSigningSecret() }).load()).rejects.toThrow(/fails its signature/);
    await expect(file({ log: 'redis 127.0.0.1:6379/0 other:audit:' }).load()).rejects.toThrow(/describes another audit store \(redis 127\.0\.0\.1:6379\/0 p:audit:\)/);
    writeFileSync(checkpoint.path, '{"seq":');
    await expect(file().load()).rejects.toThrow(/is not JSON/);
  });

  it('refuses a short key and a replica name that is not a plain file-name part', () => {
    expect(() => file({ key: 'x'.repeat(31) })).toThrow(/at least 32 bytes/);
    expect(() => file({ replica: '../gw' })).toThrow(/replica must be/);
  });

  it('accepts a checkpoint signed with the previous key once, re-signing it with the new key at that load', async () => {
    const old = file();
    old.save({ head: { seq: 9, hash: HASH }, generation: 'g2' });
    await old.flush();
    const newKey = generateSigningSecret();
    const { logger, lines } = captureLogger();
    const rotating = file({ key: newKey, previousKey: key, logger });
    expect(await rotating.load()).toEqual({ head: { seq: 9, hash: HASH }, generation: 'g2' });
    expect(lines.filter((line) => line.includes('"event":"audit.checkpoint.rekeyed"'))).toHaveLength(1);
    expect(lines.join('\n')).not.toContain(key);
    expect(lines.join('\n')).not.toContain(newKey);
    // Re-signed: the new key alone reads it; the old key no longer does.
    expect(await file({ key: newKey }).load()).toEqual({ head: { seq: 9, hash: HASH }, generation: 'g2' });
    await expect(file().load()).rejects.toThrow(/fails its signature/);
    // Once: an old-key file put back under the same running store is refused.
    old.save({ head: { seq: 9, hash: HASH }, generation: 'g2' });
    await old.flush();
    await expect(rotating.load()).rejects.toThrow(/fails its signature/);
  });

  it('refuses a checkpoint signed with neither the key nor the previous key, and a previous key that is the key', async () => {
    const checkpoint = file();
    checkpoint.save({ head: { seq: 1, hash: HASH }, generation: '' });
    await checkpoint.flush();
    await expect(file({ key: generateSigningSecret(), previousKey: generateSigningSecret() }).load()).rejects.toThrow(/fails its signature/);
    expect(() => file({ previousKey: key })).toThrow(/previous key is the key itself/);
    expect(() => file({ previousKey: 'x'.repeat(31) })).toThrow(/previous key must be at least 32 bytes/);
  });
});
