import { Pool } from 'pg';
import { createPgliteDataDir } from '../../sql-his/createPgliteDataDir';
import { PgliteDatabase } from '../../sql-his/PgliteDatabase';
import type { Xml130IndexStore } from './Xml130IndexStore';
import { XML130_INDEX_BATCH } from './Xml130RowBatch';
import { inPostgresTransaction } from '../../../core/sql/inPostgresTransaction';

/** One parameterized statement ($1, $2, … placeholders). */
export interface SqlStatement {
  readonly sql: string;
  readonly params?: readonly unknown[];
}

export type SqlRow = Record<string, unknown>;

/**
 * The narrow SQL port of the on-disk index (docs/style.md §2): single statements, and a list of
 * statements run as one transaction, so a changed file's rows appear all at once or not at all.
 * Both stores speak PostgreSQL's dialect.
 */
export interface Xml130Sql {
  query(sql: string, params?: readonly unknown[]): Promise<readonly SqlRow[]>;
  transaction(statements: readonly SqlStatement[]): Promise<void>;
  close(): Promise<void>;
  /** HOSO per multi-row INSERT (Xml130RowBatch). */
  readonly batchHoso: number;
}

/**
 * PostgreSQL settings of the embedded store. Memory over cache: PGlite's WebAssembly memory only
 * grows, so its high-water mark is the process's for good; these bound it whatever the number of
 * HOSO (PostgreSQL's defaults are shared_buffers 128MB, maintenance_work_mem 64MB).
 */
export const PGLITE_INDEX_SETTINGS: Readonly<Record<string, string>> = {
  shared_buffers: '16MB',
  work_mem: '4MB',
  maintenance_work_mem: '16MB',
  temp_buffers: '4MB',
};

/**
 * HOSO per INSERT on PGlite (XML130_INDEX_BATCH on PostgreSQL). Every statement crosses to PGlite's
 * worker thread and is encoded there as one protocol message: a 500-HOSO batch made 2–3 MB buffers
 * per statement, which the C allocator kept as fragmented arenas and V8 as a grown young generation
 * (bench/RESULTS.md, "xml130 on PGlite under 300 MB"). 100 HOSO write as fast on PGlite.
 */
export const PGLITE_INDEX_BATCH = 100;

/** The young JavaScript generation of the index's PGlite worker, in MB (PgliteDatabase.open). */
export const PGLITE_INDEX_YOUNG_GENERATION_MB = 4;

/**
 * Opens the SQL connection of a store (a PGlite data directory is created when missing). `pglite`:
 * for a PGlite store, a database already open (the demo's one embedded database, shared by its
 * stores), used instead of opening one and left open when the index closes.
 */
export async function openXml130Sql(store: Xml130IndexStore, options: { readonly pglite?: PgliteDatabase } = {}): Promise<Xml130Sql> {
  switch (store.kind) {
    case 'pglite': {
      const shared = options.pglite;
      if (shared) {
        await shared.ready();
        return {
          query: async (sql, params) => (await shared.query(sql, params ?? [])).rows,
          transaction: async (statements) => {
            await shared.transaction(statements);
          },
          close: async () => undefined,
          batchHoso: PGLITE_INDEX_BATCH,
        };
      }
      if (store.dataDir !== null) await createPgliteDataDir(store.dataDir);
      const db = PgliteDatabase.open({ dataDir: store.dataDir, settings: PGLITE_INDEX_SETTINGS, youngGenerationMb: PGLITE_INDEX_YOUNG_GENERATION_MB });
      await db.ready();
      return {
        query: async (sql, params) => (await db.query(sql, params ?? [])).rows,
        transaction: async (statements) => {
          await db.transaction(statements);
        },
        close: () => db.close(),
        batchHoso: PGLITE_INDEX_BATCH,
      };
    }
    case 'postgres': {
      const pool = new Pool({ connectionString: store.url, max: 4 });
      // An idle connection the server drops is replaced by the pool; the next statement reconnects.
      pool.on('error', () => undefined);
      return {
        query: async (sql, params) => (await pool.query(sql, params ? [...params] : [])).rows as SqlRow[],
        transaction: (statements) =>
          inPostgresTransaction(pool, async (client) => {
            for (const statement of statements) await client.query(statement.sql, statement.params ? [...statement.params] : []);
          }),
        close: () => pool.end(),
        batchHoso: XML130_INDEX_BATCH,
      };
    }
  }
}
