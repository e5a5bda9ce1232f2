import { ConfigError } from '../../core/config/ConfigError';
import type { ConfigReader } from '../../core/config/ConfigReader';
import { loadSqlHisMapping, resolveMappingPath } from './loadSqlHisMapping';
import { parseSqlHisMapping } from './parseSqlHisMapping';
import { SQL_HIS_DEFAULTS, type SqlHisConfig, type SqlHisConnectionSettings } from './SqlHisConfig';
import type { SqlHisMapping } from './SqlHisMapping';
import { SQL_DIALECTS } from './sqlDialects';

export interface SqlHisConfigOptions {
  /** The hospital's config file, named in errors this module raises itself. */
  readonly file?: string;
  /** Directory relative mapping paths are resolved against (the config file's directory). */
  readonly baseDir?: string;
}

const URL_PATTERNS = {
  postgres: { pattern: /^postgres(ql)?:\/\/\S+$/, patternHint: 'a postgres:// or postgresql:// URL' },
  mysql: { pattern: /^mysql:\/\/\S+$/, patternHint: 'a mysql:// URL (MySQL or MariaDB)' },
} as const;

/**
 * Checks the `adapter:` section of a sql-his hospital (SqlHisConfig documents the keys). Unknown
 * keys are rejected; each error names the key and what was expected, never the value (a URL may
 * hold a password). The mapping, when given as a file or a built-in name, is read and checked here.
 */
export function parseSqlHisConfig(adapter: ConfigReader, options: SqlHisConfigOptions = {}): SqlHisConfig {
  adapter.rejectUnknownKeys(['kind', 'dialect', 'url', 'pool', 'statementTimeoutMs', 'connectTimeoutMs', 'mapping']);
  adapter.oneOf('kind', ['sql-his']);
  return { kind: 'sql-his', connection: readConnection(adapter, options), mapping: readMapping(adapter, options) };
}

function readConnection(adapter: ConfigReader, options: SqlHisConfigOptions): SqlHisConnectionSettings {
  const dialect = adapter.oneOf('dialect', SQL_DIALECTS);
  const statementTimeoutMs = adapter.integer('statementTimeoutMs', { min: 100, max: 600_000, default: SQL_HIS_DEFAULTS.statementTimeoutMs });
  switch (dialect) {
    case 'postgres':
    case 'mysql': {
      const pool = adapter.optionalObject('pool');
      pool?.rejectUnknownKeys(['max']);
      return {
        dialect,
        url: adapter.string('url', URL_PATTERNS[dialect]),
        poolMax: pool ? pool.integer('max', { min: 1, max: 100, default: SQL_HIS_DEFAULTS.poolMax }) : SQL_HIS_DEFAULTS.poolMax,
        statementTimeoutMs,
        connectTimeoutMs: adapter.integer('connectTimeoutMs', { min: 100, max: 120_000, default: SQL_HIS_DEFAULTS.connectTimeoutMs }),
      };
    }
    case 'pglite':
      for (const key of ['pool', 'connectTimeoutMs']) {
        if (adapter.has(key)) fail(adapter, key, 'not used with dialect pglite (an in-process database has no pool and no connection)', options);
      }
      return {
        dialect,
        dataDir: adapter.optionalString('url', { pattern: /^(?![A-Za-z][A-Za-z0-9+.-]*:\/\/)/, patternHint: 'a data directory path for pglite (omit url for an in-memory database)' }) ?? null,
        statementTimeoutMs,
      };
  }
}

const MAPPING_HINT = 'expected the mapping itself, a path to a mapping YAML file, or a built-in mapping name (demo-modern, demo-legacy)';

/** `mapping:` is the mapping itself (a section), or a string naming a file or a built-in mapping. */
function readMapping(adapter: ConfigReader, options: SqlHisConfigOptions): SqlHisMapping {
  if (!adapter.has('mapping')) fail(adapter, 'mapping', MAPPING_HINT, options);
  let reference: string;
  try {
    reference = adapter.string('mapping');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    try {
      return parseSqlHisMapping(adapter.object('mapping'), options.file);
    } catch (sectionError) {
      if (sectionError instanceof ConfigError && sectionError.key === keyPath(adapter, 'mapping')) throw new ConfigError(sectionError.key, MAPPING_HINT, sectionError.file);
      throw sectionError;
    }
  }
  return loadSqlHisMapping(resolveMappingPath(reference, options.baseDir), keyPath(adapter, 'mapping'));
}

function fail(adapter: ConfigReader, key: string, expectation: string, options: SqlHisConfigOptions): never {
  throw new ConfigError(keyPath(adapter, key), expectation, options.file);
}

function keyPath(adapter: ConfigReader, key: string): string {
  return adapter.path ? `${adapter.path}.${key}` : key;
}
