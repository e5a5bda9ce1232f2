import { PgliteDatabase } from '../../adapters/sql-his/PgliteDatabase';
import { SQL_HIS_DEFAULTS } from '../../adapters/sql-his/SqlHisConfig';
import type { DemoFacility, Population } from '../population/types';
import { seedDemoHis, type DemoHisSchema } from './seedDemoHis';
import type { DemoHospitalKind } from './startDemoHospitalOfKind';

const SCHEMA_OF_KIND: Readonly<Partial<Record<DemoHospitalKind, DemoHisSchema>>> = {
  'sql-his-modern': 'modern',
  'sql-his-legacy': 'legacy',
  'sql-his-vendor': 'vendor',
};

/**
 * One embedded PGlite for every SQL HIS demo hospital, seeded with each one's charts before any
 * of their read-only adapters opens it (a PGlite is one session: read-only is a session setting).
 * One PostgreSQL in WASM holds ~260 MB however little data it has, so the demo runs one, not one
 * per hospital (bench/RESULTS.md, "The demo's memory"); the schemas' tables do not collide
 * (`HIS_*` for the vendor HIS, Vietnamese lower-case names for the legacy one, English for the
 * modern one) and each adapter reads only the tables its mapping names. Null when no hospital
 * runs a SQL HIS kind.
 */
export async function openDemoHisDatabase(
  hospitals: readonly { readonly facility: DemoFacility; readonly kind: DemoHospitalKind }[],
  population: Population,
  templateCacheDir?: string,
): Promise<PgliteDatabase | null> {
  if (sqlHisHospitalsOf(hospitals).length === 0) return null;
  const database = PgliteDatabase.open(templateCacheDir ? { templateCacheDir } : {});
  try {
    await seedDemoHisDatabase(database, hospitals, population);
    return database;
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** Seeds the SQL HIS hospitals' charts into an open database (the demo's one embedded database, openDemoDatabase). */
export async function seedDemoHisDatabase(
  database: PgliteDatabase,
  hospitals: readonly { readonly facility: DemoFacility; readonly kind: DemoHospitalKind }[],
  population: Population,
): Promise<void> {
  const settings = { dialect: 'pglite', dataDir: null, statementTimeoutMs: SQL_HIS_DEFAULTS.statementTimeoutMs } as const;
  for (const { facility, schema } of sqlHisHospitalsOf(hospitals)) await seedDemoHis(settings, database, schema, population, facility.code);
}

/** The hospitals of a SQL HIS kind, with their schema; throws when two share one (their tables would collide). */
export function sqlHisHospitalsOf(hospitals: readonly { readonly facility: DemoFacility; readonly kind: DemoHospitalKind }[]): { readonly facility: DemoFacility; readonly schema: DemoHisSchema }[] {
  const seeded = hospitals.flatMap(({ facility, kind }) => {
    const schema = SCHEMA_OF_KIND[kind];
    return schema ? [{ facility, schema }] : [];
  });
  if (new Set(seeded.map((h) => h.schema)).size !== seeded.length) throw new Error('demo: two SQL HIS hospitals of one schema cannot share a database');
  return seeded;
}
