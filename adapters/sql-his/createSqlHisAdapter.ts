import type { Logger } from '../../core/logging/logger';
import type { Facility } from '../sdk/ClinicalAdapter';
import { openSqlHisConnection } from './openSqlHisConnection';
import type { PgliteDatabase } from './PgliteDatabase';
import { SqlHisAdapter } from './SqlHisAdapter';
import type { SqlHisConfig } from './SqlHisConfig';

export interface SqlHisAdapterDependencies {
  readonly logger: Logger;
  readonly facility: Facility;
  /** For dialect pglite: an already open (seeded) database, which stays open when the adapter closes. */
  readonly pglite?: PgliteDatabase;
  /** Population questions grouped in SQL (default) or read per encounter (benchmark baseline; SqlHisAdapterOptions). */
  readonly population?: 'grouped' | 'rows';
}

/**
 * A sql-his adapter from its checked config (`parseSqlHisConfig`): a read-only pool with the
 * configured limits and timeouts, and the mapping. Nothing connects until the first call, so a
 * database that is down at start-up shows as SOURCE_UNAVAILABLE on requests, not as a crash.
 */
export function createSqlHisAdapter(config: SqlHisConfig, dependencies: SqlHisAdapterDependencies): SqlHisAdapter {
  const logger = dependencies.logger.child({ facilityCode: dependencies.facility.code, adapter: 'sql-his' });
  const connection = openSqlHisConnection(config.connection, {
    readOnly: true,
    ...(dependencies.pglite ? { pglite: dependencies.pglite } : {}),
    onIdleError: (error) => logger.warn('sql_his.idle_connection_failed', { errorName: error.name, driverCode: 'code' in error && typeof error.code === 'string' ? error.code : undefined }),
  });
  return new SqlHisAdapter({
    connection,
    mapping: config.mapping,
    facility: dependencies.facility,
    logger,
    statementTimeoutMs: config.connection.statementTimeoutMs,
    ...(dependencies.population ? { population: dependencies.population } : {}),
  });
}
