import type { Kysely } from 'kysely';
import type { SqlDialectName } from './sqlDialects';
import type { SqlHisDatabase } from './SqlHisQueries';

/** A Kysely instance over a HIS database, with the dialect it speaks (what seeders and the query layer need). */
export interface SqlHisExecutor {
  readonly db: Kysely<SqlHisDatabase>;
  readonly dialect: SqlDialectName;
}

/** An open connection (pool) to a HIS database: `openSqlHisConnection`. */
export interface SqlHisConnection extends SqlHisExecutor {
  /** Statements executed through `db` since it was opened (session set-up not included). */
  statements(): number;
  /** Ends the pool (or, for a PGlite database it opened itself, closes the database). */
  close(): Promise<void>;
}
