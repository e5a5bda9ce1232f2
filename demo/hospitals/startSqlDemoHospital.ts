import { createSqlHisAdapter } from '../../adapters/sql-his/createSqlHisAdapter';
import { loadSqlHisMapping, resolveMappingPath } from '../../adapters/sql-his/loadSqlHisMapping';
import { PgliteDatabase } from '../../adapters/sql-his/PgliteDatabase';
import type { SqlHisAdapter } from '../../adapters/sql-his/SqlHisAdapter';
import { SQL_HIS_DEFAULTS, type SqlHisConnectionSettings } from '../../adapters/sql-his/SqlHisConfig';
import type { SqlHisMapping } from '../../adapters/sql-his/SqlHisMapping';
import type { SqlHisExecutor } from '../../adapters/sql-his/SqlHisConnection';
import { seedDemoHis, writeDemoHis, type DemoHisSchema } from './seedDemoHis';
import { serveDemoHospital, type DemoHospital, type DemoHospitalOptions } from './DemoHospital';
export type { DemoHisSchema } from './seedDemoHis';

export interface SqlDemoHospitalOptions extends DemoHospitalOptions {
  readonly schema: DemoHisSchema;
  /**
   * A database server to seed and read (an empty database: the tables are created in it). Default:
   * PGlite in memory, in this process (what `npm start` uses: no database server needed).
   */
  readonly connection?: { readonly dialect: 'postgres' | 'mysql'; readonly url: string };
  /** Instead of a fresh in-memory PGlite: this one (prepared by the caller, who also closes it). */
  readonly pglite?: PgliteDatabase;
  readonly statementTimeoutMs?: number;
  /** Connection timeout on a database server (default SQL_HIS_DEFAULTS; benchmarks on a loaded machine need more). */
  readonly connectTimeoutMs?: number;
  /** Read through another mapping than the schema's (tests: a table swapped for a view). */
  readonly mapping?: SqlHisMapping;
  /** Create and fill the tables first (default true). */
  readonly seed?: boolean;
  /** After seeding, before serving: a test's change to the rows (a malformed value the seeders never write). */
  readonly afterSeed?: (writer: SqlHisExecutor) => Promise<void>;
}

export interface SqlDemoHospital extends DemoHospital {
  /** The adapter itself: `stats().statements` counts SQL statements. */
  readonly adapter: SqlHisAdapter;
  readonly schema: DemoHisSchema;
}

const MAPPING_NAMES: Readonly<Record<DemoHisSchema, string>> = { modern: 'demo-modern', legacy: 'demo-legacy', vendor: 'demo-vendor' };

/**
 * Serves one demo hospital whose source is a relational HIS: the facility's charts of the
 * population seeded into the chosen schema, read back through the sql-his adapter and its mapping
 * (the same YAML a real deployment would name), behind the clinical contract.
 */
export async function startSqlDemoHospital(options: SqlDemoHospitalOptions): Promise<SqlDemoHospital> {
  const { facility, schema } = options;
  const logger = options.logger.child({ facilityCode: facility.code });
  const statementTimeoutMs = options.statementTimeoutMs ?? SQL_HIS_DEFAULTS.statementTimeoutMs;
  const ownPglite = options.connection === undefined && options.pglite === undefined ? PgliteDatabase.open() : undefined;
  const pglite = options.pglite ?? ownPglite;
  const settings: SqlHisConnectionSettings = options.connection === undefined
    ? { dialect: 'pglite', dataDir: null, statementTimeoutMs }
    : { ...options.connection, poolMax: SQL_HIS_DEFAULTS.poolMax, statementTimeoutMs, connectTimeoutMs: options.connectTimeoutMs ?? SQL_HIS_DEFAULTS.connectTimeoutMs };
  try {
    if (options.seed ?? true) await seedDemoHis(settings, pglite, schema, options.population, facility.code);
    if (options.afterSeed) await writeDemoHis(settings, pglite, options.afterSeed);
    const mapping = options.mapping ?? loadSqlHisMapping(resolveMappingPath(MAPPING_NAMES[schema]));
    const adapter = createSqlHisAdapter({ kind: 'sql-his', connection: settings, mapping }, { logger, facility, ...(pglite ? { pglite } : {}) });
    const hospital = await serveDemoHospital(options, adapter, async () => {
      await adapter.close();
      await ownPglite?.close();
    });
    return { ...hospital, adapter, schema };
  } catch (error) {
    await ownPglite?.close();
    throw error;
  }
}
