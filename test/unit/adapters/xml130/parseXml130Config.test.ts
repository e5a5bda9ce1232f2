import { join } from 'node:path';
import { ConfigReader } from '../../../../core/config/ConfigReader';
import { parseXml130Config } from '../../../../adapters/xml130/parseXml130Config';
import { DEFAULT_XML130_LIMITS } from '../../../../adapters/xml130/Xml130Limits';

function parse(adapter: unknown): ReturnType<typeof parseXml130Config> {
  return parseXml130Config(ConfigReader.root({ adapter }, 'hospital.yaml').object('adapter'));
}

describe('parseXml130Config', () => {
  it('reads the adapter section with defaults for what it leaves out', () => {
    expect(parse({ kind: 'xml130', folder: '/data/xml130', watch: true, maxFileBytes: 104857600 })).toEqual({
      folder: '/data/xml130',
      watch: true,
      debounceMs: 500,
      rescanIntervalMs: 60_000,
      limits: { ...DEFAULT_XML130_LIMITS, maxFileBytes: 104857600 },
      index: { kind: 'pglite', dataDir: join(process.cwd(), 'xml130-index') },
    });
  });

  it('keeps the index on disk: PGlite in a data directory by default (relative to the config file), or PostgreSQL', () => {
    const parseIn = (adapter: unknown, baseDir: string): ReturnType<typeof parseXml130Config> =>
      parseXml130Config(ConfigReader.root({ adapter }, 'hospital.yaml').object('adapter'), { baseDir });
    expect(parseIn({ kind: 'xml130', folder: '/d' }, '/etc/pg').index).toEqual({ kind: 'pglite', dataDir: '/etc/pg/xml130-index' });
    expect(parseIn({ kind: 'xml130', folder: '/d', index: { dataDir: 'idx' } }, '/etc/pg').index).toEqual({ kind: 'pglite', dataDir: '/etc/pg/idx' });
    expect(parseIn({ kind: 'xml130', folder: '/d', index: { store: 'postgres', url: 'postgres://pg@db/xml130' } }, '/etc/pg').index)
      .toEqual({ kind: 'postgres', url: 'postgres://pg@db/xml130' });
    expect(() => parse({ kind: 'xml130', folder: '/d', index: { store: 'postgres' } })).toThrow('hospital.yaml: adapter.index.url: expected a non-empty string');
    expect(() => parse({ kind: 'xml130', folder: '/d', index: { store: 'postgres', url: 'mysql://x' } })).toThrow('adapter.index.url: expected a postgres:// or postgresql:// URL');
    expect(() => parse({ kind: 'xml130', folder: '/d', index: { store: 'pglite', url: 'postgres://x' } })).toThrow('adapter.index.url: unknown key');
    expect(() => parse({ kind: 'xml130', folder: '/d', index: { store: 'sqlite' } })).toThrow('adapter.index.store: expected one of pglite, postgres');
  });

  it('names the key of a mistake: unknown key, wrong kind, missing folder, bad limit', () => {
    expect(() => parse({ kind: 'xml130', folder: '/d', maxFileByte: 1 })).toThrow('hospital.yaml: adapter.maxFileByte: unknown key');
    expect(() => parse({ kind: 'sql-his', folder: '/d' })).toThrow('hospital.yaml: adapter.kind: expected one of xml130');
    expect(() => parse({ kind: 'xml130' })).toThrow('hospital.yaml: adapter.folder: expected a non-empty string');
    expect(() => parse({ kind: 'xml130', folder: '/d', maxTextBytes: 0 })).toThrow('hospital.yaml: adapter.maxTextBytes: expected at least 1');
    expect(() => parse({ kind: 'xml130', folder: '/d', watch: 'yes' })).toThrow('hospital.yaml: adapter.watch: expected true or false');
  });
});
