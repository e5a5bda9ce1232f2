import { PgliteDatabase } from '../../../adapters/sql-his/PgliteDatabase';
import type { SqlHisConnectionSettings } from '../../../adapters/sql-his/SqlHisConfig';
import { createMariaDbDatabase, createPostgresDatabase } from './testDatabases';

/** A HIS database a test seeds and an adapter reads: its connection settings and how to remove it. */
export interface Backend {
  readonly settings: SqlHisConnectionSettings;
  readonly pglite?: PgliteDatabase;
  cleanup(): Promise<void>;
}

/** A database of its own on the PostgreSQL or MariaDB server, dropped by `cleanup`. */
export async function serverBackend(dialect: 'postgres' | 'mysql'): Promise<Backend> {
  const database = await (dialect === 'postgres' ? createPostgresDatabase() : createMariaDbDatabase());
  return { settings: { dialect, url: database.url, poolMax: 2, statementTimeoutMs: 20_000, connectTimeoutMs: 5_000 }, cleanup: () => database.drop() };
}

/** An in-memory PGlite, closed by `cleanup`. */
export function pgliteBackend(): Promise<Backend> {
  const pglite = PgliteDatabase.open();
  return Promise.resolve({ settings: { dialect: 'pglite', dataDir: null, statementTimeoutMs: 20_000 }, pglite, cleanup: () => pglite.close() });
}
