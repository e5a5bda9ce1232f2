import { openSqlHisConnection } from '../../adapters/sql-his/openSqlHisConnection';
import type { PgliteDatabase } from '../../adapters/sql-his/PgliteDatabase';
import type { SqlHisConnectionSettings } from '../../adapters/sql-his/SqlHisConfig';
import type { SqlHisExecutor } from '../../adapters/sql-his/SqlHisConnection';
import { seedLegacyHis } from '../his/seedLegacyHis';
import { seedModernHis } from '../his/seedModernHis';
import { seedVendorHis } from '../his/seedVendorHis';
import type { Population } from '../population/types';

/** The demo HIS schemas (demo/his/). */
export type DemoHisSchema = 'modern' | 'legacy' | 'vendor';

const SEEDERS: Readonly<Record<DemoHisSchema, (executor: SqlHisExecutor, population: Population, facilityCode: string) => Promise<unknown>>> = {
  modern: seedModernHis,
  legacy: seedLegacyHis,
  vendor: seedVendorHis,
};

/**
 * Creates the tables of a demo HIS schema and fills them with one facility's charts of the
 * population, through a writable connection of its own that is closed before any read-only
 * adapter opens the database.
 */
export async function seedDemoHis(settings: SqlHisConnectionSettings, pglite: PgliteDatabase | undefined, schema: DemoHisSchema, population: Population, facilityCode: string): Promise<void> {
  await writeDemoHis(settings, pglite, (writer) => SEEDERS[schema](writer, population, facilityCode));
}

/** Runs `write` through a writable connection of its own, closed before any read-only adapter opens the database. */
export async function writeDemoHis(settings: SqlHisConnectionSettings, pglite: PgliteDatabase | undefined, write: (writer: SqlHisExecutor) => Promise<unknown>): Promise<void> {
  const writer = openSqlHisConnection(settings, { readOnly: false, ...(pglite ? { pglite } : {}) });
  try {
    await write(writer);
  } finally {
    await writer.close();
  }
}
