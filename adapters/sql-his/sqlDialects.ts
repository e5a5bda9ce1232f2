/**
 * The SQL dialects the sql-his adapter speaks: PostgreSQL and MySQL/MariaDB servers, and PGlite
 * (PostgreSQL compiled to WASM, in this process) for the embedded demo.
 */
export const SQL_DIALECTS = ['postgres', 'mysql', 'pglite'] as const;

export type SqlDialectName = (typeof SQL_DIALECTS)[number];

/** PGlite is PostgreSQL: same SQL, same parameter style (`$1`, arrays), same types. */
export function isPostgresFamily(dialect: SqlDialectName): boolean {
  return dialect === 'postgres' || dialect === 'pglite';
}
