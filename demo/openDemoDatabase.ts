import { createPgliteDataDir } from '../adapters/sql-his/createPgliteDataDir';
import { PgliteDatabase } from '../adapters/sql-his/PgliteDatabase';

/** The patient index's tables (subgraphs/identity/patientIndexSchema.ts): the only ones kept from one start to the next. */
const KEPT_TABLES = /^identity_/;

/**
 * The demo's one embedded database (PGlite), shared by its embedded stores: the SQL HIS demo
 * hospitals' tables, the QĐ 130 index and the persistent patient index. Each PGlite costs ~190 MB
 * however little it holds (bench/RESULTS.md, "The demo's memory"), so the demo runs one; the
 * stores' tables do not collide (`identity_*`, `xml130_*`, the HIS schemas' own names).
 * In `dataDir` (the patient index's, `npm start`) or in memory from a template (kept in
 * `templateCacheDir`). In a data directory only the patient index lasts: the other stores' tables
 * left by an earlier start are dropped, as they are rebuilt at every start.
 */
export async function openDemoDatabase(options: { readonly dataDir: string | null; readonly templateCacheDir?: string }): Promise<PgliteDatabase> {
  if (options.dataDir !== null) await createPgliteDataDir(options.dataDir);
  const database = PgliteDatabase.open({ dataDir: options.dataDir, ...(options.templateCacheDir ? { templateCacheDir: options.templateCacheDir } : {}) });
  try {
    await database.ready();
    if (options.dataDir !== null) {
      const { rows } = await database.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
      for (const { tablename } of rows) {
        if (typeof tablename !== 'string' || KEPT_TABLES.test(tablename)) continue;
        await database.query(`DROP TABLE IF EXISTS "${tablename.replace(/"/g, '""')}" CASCADE`);
      }
    }
    return database;
  } catch (error) {
    await database.close();
    throw error;
  }
}
