import { Pool } from 'pg';
import { PgliteDatabase } from '../../adapters/sql-his/PgliteDatabase';
import { pgSqlClient, type SqlClient } from './SqlClient';
import { SqlPatientIndex } from './SqlPatientIndex';

/** Where the persistent patient index lives. */
export type PatientIndexStore =
  | { readonly kind: 'postgres'; readonly url: string }
  /** Embedded PostgreSQL (PGlite): in a data directory, or in memory when `dataDir` is null. */
  | { readonly kind: 'pglite'; readonly dataDir: string | null };

/** Opens (and creates when missing) the patient index in its store. */
export async function openSqlPatientIndex(store: PatientIndexStore): Promise<SqlPatientIndex> {
  return SqlPatientIndex.open(sqlClientOf(store));
}

function sqlClientOf(store: PatientIndexStore): SqlClient {
  switch (store.kind) {
    case 'postgres':
      return pgSqlClient(new Pool({ connectionString: store.url, max: 4 }));
    case 'pglite': {
      const db = PgliteDatabase.open({ dataDir: store.dataDir });
      return { query: (sql, params) => db.query(sql, params ?? []), close: () => db.close() };
    }
  }
}
