import { Pool } from 'pg';
import { PgliteDatabase } from '../../adapters/sql-his/PgliteDatabase';
import { pgSqlClient, type SqlClient } from './SqlClient';
import { SqlPatientIndex } from './SqlPatientIndex';

/** Where the persistent patient index lives. */
export type PatientIndexStore =
  | { readonly kind: 'postgres'; readonly url: string }
  /** Embedded PostgreSQL (PGlite): in a data directory, or in memory when `dataDir` is null. */
  | { readonly kind: 'pglite'; readonly dataDir: string | null };

/**
 * Opens (and creates when missing) the patient index in its store. `pglite`: for a PGlite store, a
 * database already open in that place (the demo's one embedded database, shared by its stores),
 * used instead of opening another and left open when the index closes.
 */
export async function openSqlPatientIndex(store: PatientIndexStore, options: { readonly pglite?: PgliteDatabase } = {}): Promise<SqlPatientIndex> {
  return SqlPatientIndex.open(sqlClientOf(store, options.pglite));
}

function sqlClientOf(store: PatientIndexStore, shared: PgliteDatabase | undefined): SqlClient {
  switch (store.kind) {
    case 'postgres':
      return pgSqlClient(new Pool({ connectionString: store.url, max: 4 }));
    case 'pglite': {
      if (shared) return { query: (sql, params) => shared.query(sql, params ?? []) };
      const db = PgliteDatabase.open({ dataDir: store.dataDir });
      return { query: (sql, params) => db.query(sql, params ?? []), close: () => db.close() };
    }
  }
}
