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
}

export function pgSqlClient(pool: PgPoolLike): SqlClient {
  return {
    query: (sql, params = []) => pool.query(sql, [...params]),
    close: () => pool.end(),
  };
}
