/**
 * The narrow SQL port of the persistent patient index (docs/style.md §2): one parameterized
 * statement at a time ($1, $2, … placeholders). A `pg` Pool and the embedded PGlite database
 * (adapters/sql-his/PgliteDatabase) both fit it.
 */
export interface SqlClient {
  query(sql: string, params?: readonly unknown[]): Promise<{ readonly rows: readonly Record<string, unknown>[] }>;
  close?(): Promise<void>;
}

/** What `pg`'s Pool offers (kept structural so this module does not load `pg`). */
export interface PgPoolLike {
  query(sql: string, params: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  end(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * A `pg` Pool as the index's SQL port. An idle connection the server drops (restart, failover) is
 * an event on the pool, not a crash: the pool replaces it and the next statement reconnects.
 */
export function pgSqlClient(pool: PgPoolLike, onIdleError: (error: Error) => void = () => undefined): SqlClient {
  pool.on('error', onIdleError);
  return {
    query: (sql, params = []) => pool.query(sql, [...params]),
    close: () => pool.end(),
  };
}
