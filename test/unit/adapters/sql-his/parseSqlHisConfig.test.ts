import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../../core/config/ConfigError';
import { ConfigReader } from '../../../../core/config/ConfigReader';
import { parseSqlHisConfig } from '../../../../adapters/sql-his/parseSqlHisConfig';
import type { SqlHisConfig } from '../../../../adapters/sql-his/SqlHisConfig';

const INLINE_MAPPING = { patients: { table: 'benh_nhan', id: 'ma_bn', nationalId: 'so_cccd' } };

function parse(adapter: Record<string, unknown>, options: { baseDir?: string } = {}): SqlHisConfig {
  return parseSqlHisConfig(ConfigReader.root({ adapter }, 'hospital.yaml').object('adapter'), { file: 'hospital.yaml', ...options });
}

function failure(adapter: Record<string, unknown>, options: { baseDir?: string } = {}): ConfigError {
  try {
    parse(adapter, options);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseSqlHisConfig', () => {
  it('reads a PostgreSQL hospital with an inline mapping, filling the defaults', () => {
    const config = parse({ kind: 'sql-his', dialect: 'postgres', url: 'postgres://reader@his.example.vn/his', mapping: INLINE_MAPPING });
    expect(config.connection).toEqual({ dialect: 'postgres', url: 'postgres://reader@his.example.vn/his', poolMax: 5, statementTimeoutMs: 5_000, connectTimeoutMs: 3_000 });
    expect(config.mapping.patients).toMatchObject({ table: 'benh_nhan', nationalId: 'so_cccd' });
  });

  it('reads a MariaDB hospital with pool, timeouts and a built-in mapping name', () => {
    const config = parse({
      kind: 'sql-his', dialect: 'mysql', url: 'mysql://reader@10.0.0.5:3306/his', pool: { max: 12 }, statementTimeoutMs: 2_000, connectTimeoutMs: 1_000, mapping: 'demo-legacy',
    });
    expect(config.connection).toEqual({ dialect: 'mysql', url: 'mysql://reader@10.0.0.5:3306/his', poolMax: 12, statementTimeoutMs: 2_000, connectTimeoutMs: 1_000 });
    expect(config.mapping.patients.table).toBe('benh_nhan');
  });

  it('reads a PGlite hospital in memory (no url) or in a data directory', () => {
    expect(parse({ kind: 'sql-his', dialect: 'pglite', mapping: 'demo-modern' }).connection).toEqual({ dialect: 'pglite', dataDir: null, statementTimeoutMs: 5_000 });
    expect(parse({ kind: 'sql-his', dialect: 'pglite', url: './his-data', mapping: 'demo-modern' }).connection).toMatchObject({ dataDir: './his-data' });
  });

  it('reads a mapping file relative to the config file, naming that file in its errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sql-his-config-'));
    try {
      writeFileSync(join(dir, 'good.yaml'), 'patients: { table: benh_nhan, id: ma_bn }\n');
      writeFileSync(join(dir, 'bad.yaml'), 'patients: { table: benh_nhan, id: "ma bn" }\n');
      const base = { kind: 'sql-his', dialect: 'postgres', url: 'postgres://h/his' };
      expect(parse({ ...base, mapping: 'good.yaml' }, { baseDir: dir }).mapping.patients.id).toBe('ma_bn');
      const error = failure({ ...base, mapping: 'bad.yaml' }, { baseDir: dir });
      expect(error.message).toBe(`${join(dir, 'bad.yaml')}: patients.id: expected a SQL identifier (letters, digits and _, not starting with a digit, at most 63 characters)`);
      expect(failure({ ...base, mapping: 'missing.yaml' }, { baseDir: dir }).message).toMatch(/adapter\.mapping: cannot read the mapping file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['an unknown key', { kind: 'sql-his', dialect: 'postgres', url: 'postgres://h/d', mapping: INLINE_MAPPING, poolSize: 3 }, 'adapter.poolSize', /unknown key/],
    ['another adapter kind', { kind: 'fhir-r4', dialect: 'postgres', url: 'postgres://h/d', mapping: INLINE_MAPPING }, 'adapter.kind', /expected one of sql-his/],
    ['an unknown dialect', { kind: 'sql-his', dialect: 'oracle', url: 'postgres://h/d', mapping: INLINE_MAPPING }, 'adapter.dialect', /expected one of postgres, mysql, pglite/],
    ['a missing url', { kind: 'sql-his', dialect: 'postgres', mapping: INLINE_MAPPING }, 'adapter.url', /non-empty string/],
    ['a MySQL URL for PostgreSQL', { kind: 'sql-his', dialect: 'postgres', url: 'mysql://h/d', mapping: INLINE_MAPPING }, 'adapter.url', /postgres:\/\/ or postgresql:\/\/ URL/],
    ['a URL as a PGlite data directory', { kind: 'sql-his', dialect: 'pglite', url: 'postgres://h/d', mapping: INLINE_MAPPING }, 'adapter.url', /data directory path/],
    ['a pool for PGlite', { kind: 'sql-his', dialect: 'pglite', pool: { max: 2 }, mapping: INLINE_MAPPING }, 'adapter.pool', /not used with dialect pglite/],
    ['an empty pool', { kind: 'sql-his', dialect: 'mysql', url: 'mysql://h/d', pool: { max: 0 }, mapping: INLINE_MAPPING }, 'adapter.pool.max', /at least 1/],
    ['a pool key it does not know', { kind: 'sql-his', dialect: 'mysql', url: 'mysql://h/d', pool: { min: 1 }, mapping: INLINE_MAPPING }, 'adapter.pool.min', /unknown key/],
    ['a statement timeout in words', { kind: 'sql-his', dialect: 'mysql', url: 'mysql://h/d', statementTimeoutMs: '5s', mapping: INLINE_MAPPING }, 'adapter.statementTimeoutMs', /whole number/],
    ['no mapping', { kind: 'sql-his', dialect: 'mysql', url: 'mysql://h/d' }, 'adapter.mapping', /built-in mapping name/],
    ['a mapping that is a list', { kind: 'sql-his', dialect: 'mysql', url: 'mysql://h/d', mapping: [] }, 'adapter.mapping', /the mapping itself, a path/],
    ['an inline mapping with a bad column', { kind: 'sql-his', dialect: 'mysql', url: 'mysql://h/d', mapping: { patients: { table: 't', id: '1d' } } }, 'adapter.mapping.patients.id', /SQL identifier/],
  ])('rejects %s, naming the key and what was expected', (_case, adapter, key, expectation) => {
    const error = failure(adapter);
    expect(error.key).toBe(key);
    expect(error.message).toMatch(expectation);
    expect(error.message).not.toMatch(/reader@|h\/d/);
  });
});
