import type { SqlHisMapping } from './SqlHisMapping';

/**
 * A sql-his hospital's `adapter:` section, checked (`parseSqlHisConfig`):
 * ```yaml
 * adapter:
 *   kind: sql-his
 *   dialect: postgres            # postgres | mysql (MySQL or MariaDB) | pglite
 *   url: postgres://his_reader@his.example.vn/his   # mysql://…; for pglite a data directory, or omitted (in memory)
 *   pool: { max: 5 }
 *   statementTimeoutMs: 5000
 *   connectTimeoutMs: 3000
 *   mapping: demo-legacy         # the mapping itself, a path to a mapping YAML file, or a built-in name
 * ```
 */
export interface SqlHisConfig {
  readonly kind: 'sql-his';
  readonly connection: SqlHisConnectionSettings;
  readonly mapping: SqlHisMapping;
}

export type SqlHisConnectionSettings = SqlHisServerSettings | SqlHisPgliteSettings;

/** A PostgreSQL or MySQL/MariaDB server. The URL carries the credentials: it is never logged. */
export interface SqlHisServerSettings {
  readonly dialect: 'postgres' | 'mysql';
  readonly url: string;
  /** Connections in the pool; the adapter runs at most one statement per table of a batch at once. */
  readonly poolMax: number;
  readonly statementTimeoutMs: number;
  readonly connectTimeoutMs: number;
}

/** PGlite in this process: a data directory, or in memory (null; then it is the demo's, seeded by it). */
export interface SqlHisPgliteSettings {
  readonly dialect: 'pglite';
  readonly dataDir: string | null;
  readonly statementTimeoutMs: number;
}

export const SQL_HIS_DEFAULTS = {
  poolMax: 5,
  statementTimeoutMs: 5_000,
  connectTimeoutMs: 3_000,
} as const;
