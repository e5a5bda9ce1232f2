import { CompiledQuery, Kysely, MysqlDialect, PostgresDialect, type DatabaseConnection, type Dialect } from 'kysely';
import { createPool } from 'mysql2';
import { Pool, types as pgTypes, type CustomTypesConfig } from 'pg';
import { PgliteDatabase } from './PgliteDatabase';
import { PgliteDialect } from './PgliteDialect';
import { preparedStatementPool } from './preparedStatementPool';
import type { SqlHisConnectionSettings, SqlHisPgliteSettings, SqlHisServerSettings } from './SqlHisConfig';
import type { SqlHisConnection } from './SqlHisConnection';
import type { SqlHisDatabase } from './SqlHisQueries';

export interface SqlHisConnectionOptions {
  /**
   * Every session is read-only (default). The adapter only reads; a HIS account with SELECT
   * grants only is still the first line of defence, this the second. Seeders pass false.
   */
  readonly readOnly?: boolean;
  /** For `pglite`: an open database to use (the demo's), left open when the connection closes. */
  readonly pglite?: PgliteDatabase;
  /** An idle pooled connection failed (database restarted): reported, never thrown (it would crash the process). */
  readonly onIdleError?: (error: Error) => void;
}

/**
 * Opens a pool to a HIS database through Kysely, configured for a source the gateway reads from:
 * - read-only sessions: PostgreSQL `default_transaction_read_only=on` (a startup option), MariaDB/
 *   MySQL `SET SESSION TRANSACTION READ ONLY`, PGlite each statement in a read-only transaction (the database may be shared with writers);
 * - statement timeouts: PostgreSQL `statement_timeout` (plus a client-side read timeout in case the
 *   network, not the server, stalls), MariaDB `max_statement_time` (MySQL `max_execution_time`),
 *   PGlite a client-side deadline (it cannot cancel);
 * - connect timeout and pool size; DATE/TIMESTAMP returned as text (the HIS's wall clock, decoded
 *   by hisDateFormats), MySQL sessions in Viet Nam time (`time_zone = '+07:00'`).
 * Connections open lazily: a database that is down fails the first statement, not this call.
 */
export function openSqlHisConnection(settings: SqlHisConnectionSettings, options: SqlHisConnectionOptions = {}): SqlHisConnection {
  const readOnly = options.readOnly ?? true;
  const opened = openDialect(settings, readOnly, options);
  let statements = 0;
  // Kysely reports every executed statement (successful or not) to `log`; session set-up runs on the
  // raw connection and is not counted.
  const db = new Kysely<SqlHisDatabase>({ dialect: opened.dialect, log: () => void (statements += 1) });
  return {
    db,
    dialect: settings.dialect,
    statements: () => statements,
    close: async () => {
      await db.destroy();
      await opened.close();
    },
  };
}

interface OpenedDialect {
  readonly dialect: Dialect;
  /** What `db.destroy()` does not close. */
  readonly close: () => Promise<void>;
}

function openDialect(settings: SqlHisConnectionSettings, readOnly: boolean, options: SqlHisConnectionOptions): OpenedDialect {
  switch (settings.dialect) {
    case 'postgres':
      return { dialect: postgresDialect(settings, readOnly, options), close: async () => undefined };
    case 'mysql':
      return { dialect: mysqlDialect(settings, readOnly), close: async () => undefined };
    case 'pglite':
      return pgliteDialect(settings, readOnly, options);
  }
}

/** pg's OIDs of DATE and TIMESTAMP (without zone): kept as text. TIMESTAMPTZ stays an instant (Date). */
const PG_DATE_OIDS = new Set([1082, 1114]);

/** pg's parsers, except for the date types above; per pool, so pg's global parsers stay untouched. */
const PG_TYPES: CustomTypesConfig = {
  getTypeParser(oid: number, format: 'text' | 'binary' = 'text'): unknown {
    return PG_DATE_OIDS.has(oid) ? (value: string): string => value : pgTypes.getTypeParser(oid, format);
  },
};

function postgresDialect(settings: SqlHisServerSettings, readOnly: boolean, options: SqlHisConnectionOptions): Dialect {
  const pool = new Pool({
    connectionString: settings.url,
    max: settings.poolMax,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    statement_timeout: settings.statementTimeoutMs,
    query_timeout: settings.statementTimeoutMs + 1_000,
    application_name: 'patient-graph sql-his',
    ...(readOnly ? { options: '-c default_transaction_read_only=on' } : {}),
    types: PG_TYPES,
  });
  pool.on('error', (error) => options.onIdleError?.(error));
  return new PostgresDialect({ pool });
}

function mysqlDialect(settings: SqlHisServerSettings, readOnly: boolean): Dialect {
  const pool = createPool({
    uri: settings.url,
    connectionLimit: settings.poolMax,
    connectTimeout: settings.connectTimeoutMs,
    dateStrings: true,
    supportBigNumbers: true,
    charset: 'utf8mb4',
    // Prepared statements are cached per connection; IN lists of many lengths must not pile up.
    maxPreparedStatements: 200,
  });
  return new MysqlDialect({
    pool: preparedStatementPool(pool),
    onCreateConnection: async (connection) => {
      await connection.executeQuery(CompiledQuery.raw("SET SESSION time_zone = '+07:00'"));
      if (readOnly) await connection.executeQuery(CompiledQuery.raw('SET SESSION TRANSACTION READ ONLY'));
      await setMysqlStatementTimeout(connection, settings.statementTimeoutMs);
    },
  });
}

/** MariaDB: `max_statement_time` in seconds; MySQL has no such variable, but `max_execution_time` (ms, SELECT only). */
async function setMysqlStatementTimeout(connection: DatabaseConnection, timeoutMs: number): Promise<void> {
  // timeoutMs is a validated whole number (parseSqlHisConfig), written as a numeric literal.
  try {
    await connection.executeQuery(CompiledQuery.raw(`SET SESSION max_statement_time = ${(timeoutMs / 1000).toFixed(3)}`));
  } catch (error) {
    if (!isUnknownVariable(error)) throw error;
    await connection.executeQuery(CompiledQuery.raw(`SET SESSION max_execution_time = ${Math.round(timeoutMs)}`));
  }
}

function isUnknownVariable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'errno' in error && error.errno === 1193;
}

function pgliteDialect(settings: SqlHisPgliteSettings, readOnly: boolean, options: SqlHisConnectionOptions): OpenedDialect {
  const database = options.pglite ?? PgliteDatabase.open({ dataDir: settings.dataDir });
  const owned = options.pglite === undefined;
  return {
    dialect: new PgliteDialect({
      database,
      readOnly,
      statementTimeoutMs: settings.statementTimeoutMs,
    }),
    close: async () => {
      if (owned) await database.close();
    },
  };
}
