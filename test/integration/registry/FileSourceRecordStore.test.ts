import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSourceRecordStore } from '../../../gateway/registry/FileSourceRecordStore';
import { LiveSourceRegistry } from '../../../gateway/registry/LiveSourceRegistry';
import type { SourceRecord } from '../../../gateway/registry/SourceRecord';
import { captureLogger } from '../../helpers/captureLogger';

const record = (code: string, overrides: Partial<SourceRecord> = {}): SourceRecord => ({
  code,
  name: `Hospital ${code}`,
  contract: 'clinical',
  url: `http://127.0.0.1:1/${code}`,
  signingSecretRef: 'env:REGISTRY_FILE_TEST_SECRET',
  limits: { deadlineMs: 5000, concurrency: 16 },
  status: 'active',
  registeredBy: 'admin-1',
  registeredAt: '2026-01-01T00:00:00.000Z',
  ...overrides,
});

/** The embedded registry (`npm start`, one gateway): a JSON file replaced atomically on each change. */
describe('FileSourceRecordStore', () => {
  const logs = captureLogger();
  const env = { REGISTRY_FILE_TEST_SECRET: 'Zq8vN2kLr5TgW9pXy3bDm7Hc4Jf6Ks1Qw' };

  it('keeps registrations across a restart, routes active ones and leaves no temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'registry-file-'));
    const path = join(dir, 'state', 'registry.json');
    const first = new FileSourceRecordStore(path);
    expect(await first.create(record('01001'))).toBe('created');
    expect(await first.create(record('79002'))).toBe('created');
    expect(await first.replace(record('79002', { status: 'disabled' }))).toBe('replaced');
    await first.close();

    const registry = await LiveSourceRegistry.open({ store: new FileSourceRecordStore(path), seed: [], logger: logs.logger, env });
    expect(registry.isLoaded()).toBe(true);
    expect(registry.list().map((s) => s.code)).toEqual(['01001']);
    expect(registry.get('01001')?.secret).toBe(env.REGISTRY_FILE_TEST_SECRET);
    expect(registry.find('79002')?.record.status).toBe('disabled');
    await registry.close();
    expect(readdirSync(join(dir, 'state'))).toEqual(['registry.json']);
  });

  it('keeps the SDL of a contract a source brought across a restart, and offers it for composition instead of clinical routing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'registry-file-'));
    const path = join(dir, 'registry.json');
    const sdl = 'type Query { imagingStudyCount: Int }';
    const first = new FileSourceRecordStore(path);
    expect(await first.create(record('01098', { contract: 'imaging', contractSdl: sdl }))).toBe('created');
    await first.close();
    const registry = await LiveSourceRegistry.open({ store: new FileSourceRecordStore(path), seed: [], logger: logs.logger, env });
    expect(registry.registeredContracts().map((c) => ({ name: c.name, sdl: c.sdl, codes: c.sources.map((s) => s.code) }))).toEqual([{ name: 'imaging', sdl, codes: ['01098'] }]);
    expect(registry.get('01098')).toBeUndefined();
    await registry.close();
  });

  it('lets only one of two concurrent registrations of a code through', async () => {
    const store = new FileSourceRecordStore(join(mkdtempSync(join(tmpdir(), 'registry-file-')), 'registry.json'));
    const results = await Promise.all([store.create(record('01001', { name: 'first' })), store.create(record('01001', { name: 'second' }))]);
    expect(results.sort()).toEqual(['created', 'taken']);
    expect((await store.list()).map((r) => r.name)).toEqual(['first']);
  });

  it('answers missing for changes to an unknown code, changing nothing', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'registry-file-')), 'registry.json');
    const store = new FileSourceRecordStore(path);
    await store.create(record('01001'));
    const before = readFileSync(path, 'utf8');
    expect(await store.replace(record('79002'))).toBe('missing');
    expect(await store.remove('79002')).toBe('missing');
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('refuses a file that is not a registry, naming the problem, and reports the store not ready', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'registry-file-')), 'registry.json');
    writeFileSync(path, JSON.stringify({ version: 1, sources: [{ code: '01001' }] }));
    const store = new FileSourceRecordStore(path);
    await expect(store.list()).rejects.toThrow(/registry\.json: source 1: "name" is not a string/);
    expect(await store.ping()).toBe(false);
    await expect(LiveSourceRegistry.open({ store, seed: [], logger: logs.logger, env })).rejects.toThrow(/source 1/);
  });

  it('does not route an active source whose secret this replica cannot read, and says why', async () => {
    const store = new FileSourceRecordStore(join(mkdtempSync(join(tmpdir(), 'registry-file-')), 'registry.json'));
    await store.create(record('01001', { signingSecretRef: 'env:REGISTRY_FILE_TEST_UNSET' }));
    const registry = await LiveSourceRegistry.open({ store, seed: [], logger: logs.logger, env });
    expect(registry.get('01001')).toBeUndefined();
    expect(registry.find('01001')?.problem).toBe('environment variable REGISTRY_FILE_TEST_UNSET is not set on this gateway');
    await registry.close();
  });
});
