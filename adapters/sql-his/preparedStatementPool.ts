import type { MysqlPool, MysqlPoolConnection, MysqlQueryResult, MysqlStream, MysqlStreamOptions } from 'kysely';
import type { ExecuteValues, Pool, PoolConnection, QueryResult } from 'mysql2';

/**
 * A mysql2 pool as Kysely's MysqlDialect sees it, except that statements with parameters run as
 * server-side prepared statements (`execute`, the binary protocol) instead of mysql2's `query`,
 * which substitutes escaped values into the SQL text on the client. Values then never become SQL
 * text, whatever the server's `sql_mode` (client-side escaping is wrong under
 * NO_BACKSLASH_ESCAPES). Statements without parameters (session settings, DDL) still use `query`.
 */
export function preparedStatementPool(pool: Pool): MysqlPool {
  return {
    getConnection: (callback) => {
      pool.getConnection((error, connection) => callback(error, new PreparedStatementConnection(connection)));
    },
    end: (callback) => pool.end(callback),
  };
}

class PreparedStatementConnection implements MysqlPoolConnection {
  constructor(private readonly connection: PoolConnection) {}

  query(sql: string, parameters: unknown[]): { stream: <T>(options: MysqlStreamOptions) => MysqlStream<T> };
  query(sql: string, parameters: unknown[], callback: (error: unknown, result: MysqlQueryResult) => void): void;
  query(
    sql: string,
    parameters: unknown[],
    callback?: (error: unknown, result: MysqlQueryResult) => void,
  ): { stream: <T>(options: MysqlStreamOptions) => MysqlStream<T> } | void {
    if (callback === undefined) {
      // Kysely streams only through `query(sql, params).stream()`; this adapter never streams.
      throw new Error('preparedStatementPool does not stream query results');
    }
    const done = (error: unknown, result: QueryResult): void => callback(error, toKyselyResult(result));
    if (parameters.length === 0) this.connection.query(sql, done);
    else this.connection.execute(sql, parameters as ExecuteValues, done);
  }

  release(): void {
    this.connection.release();
  }
}

/** mysql2 answers rows as an array of objects and writes as a ResultSetHeader, which carries Kysely's OkPacket fields. */
function toKyselyResult(result: QueryResult): MysqlQueryResult {
  return result as MysqlQueryResult;
}
