import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';
import type { PgliteDatabase } from './PgliteDatabase';
import { StatementDeadlineError } from './StatementDeadlineError';

export interface PgliteDialectConfig {
  readonly database: PgliteDatabase;
  /**
   * Every statement read-only: each in a read-only transaction of its own, a transaction opened
   * `begin read only`. Not a session setting: the database may be shared with writers (the demo's
   * patient index and QĐ 130 index, demo/startDemoNetwork.ts).
   */
  readonly readOnly: boolean;
  /** Deadline of one statement, enforced on this side (see `PgliteConnection`); null for none. */
  readonly statementTimeoutMs: number | null;
}

/**
 * Kysely over PGlite: PostgreSQL's SQL, compiler and adapter, with a driver that sends each
 * compiled statement to `PgliteDatabase.query(sql, params)`. PGlite is one session, so the driver
 * hands out one connection at a time (a transaction then owns the session until it ends).
 */
export class PgliteDialect implements Dialect {
  constructor(private readonly config: PgliteDialectConfig) {}

  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }

  createDriver(): Driver {
    return new PgliteDriver(this.config);
  }

  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}

class PgliteDriver implements Driver {
  private readonly connection: PgliteConnection;
  /** Resolves when the connection is free again; chained so waiters take turns. */
  private lock: Promise<void> = Promise.resolve();

  constructor(private readonly config: PgliteDialectConfig) {
    this.connection = new PgliteConnection(config.database, config.statementTimeoutMs, config.readOnly);
  }

  async init(): Promise<void> {
    await this.config.database.ready();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.lock;
    let release = (): void => undefined;
    this.lock = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    this.connection.release = release;
    return this.connection;
  }

  async beginTransaction(): Promise<void> {
    await this.connection.begin();
  }

  async commitTransaction(): Promise<void> {
    await this.connection.end('commit');
  }

  async rollbackTransaction(): Promise<void> {
    await this.connection.end('rollback');
  }

  async releaseConnection(): Promise<void> {
    this.connection.release();
  }

  /** The database belongs to whoever opened it (several Kysely instances may share it). */
  async destroy(): Promise<void> {}
}

/**
 * PGlite cannot cancel a running statement (single-threaded WASM, no signals; `statement_timeout`
 * has no effect), so the deadline is enforced here: the caller gets `StatementDeadlineError` on
 * time, and the statement finishes in the background, delaying the ones queued behind it.
 */
class PgliteConnection implements DatabaseConnection {
  release: () => void = () => undefined;
  /** Inside `begin` … `commit`: statements run in that transaction, not each in its own. */
  private inTransaction = false;

  constructor(
    private readonly database: PgliteDatabase,
    private readonly timeoutMs: number | null,
    private readonly readOnly: boolean,
  ) {}

  async begin(): Promise<void> {
    await this.executeQuery(CompiledQuery.raw(this.readOnly ? 'begin read only' : 'begin'));
    this.inTransaction = true;
  }

  async end(how: 'commit' | 'rollback'): Promise<void> {
    try {
      await this.executeQuery(CompiledQuery.raw(how));
    } finally {
      this.inTransaction = false;
    }
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const query = this.database.query(compiledQuery.sql, compiledQuery.parameters, { readOnly: this.readOnly && !this.inTransaction });
    const result = this.timeoutMs === null ? await query : await withDeadline(query, this.timeoutMs);
    const rows = result.rows as R[];
    return result.affectedRows === undefined ? { rows } : { rows, numAffectedRows: BigInt(result.affectedRows) };
  }

  /** Streaming is not offered; the method exists because the interface requires it. */
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PgliteDialect does not stream query results');
  }
}

function withDeadline<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new StatementDeadlineError(timeoutMs)), timeoutMs);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
