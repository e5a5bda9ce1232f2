import { createSqlHisAdapter } from '../../adapters/sql-his/createSqlHisAdapter';
import type { SqlHisConfig } from '../../adapters/sql-his/SqlHisConfig';
import type { Facility } from '../../adapters/sdk/ClinicalAdapter';
import { createLogger } from '../../core/logging/logger';
import type { CliIo } from '../CliCommand';

/** Rows per table `--check` reads to check value formats. */
const SAMPLE_ROWS = 200;

/**
 * `source serve --check` of a sql-his source: a valid config is not enough, the mapping must fit
 * the database. Connects read-only, lists every problem (each with its mapping key) and exits 1
 * when there is any; exits 1 as well when the database cannot be reached.
 */
export async function checkSqlHisDatabase(path: string, config: SqlHisConfig, facility: Facility, io: CliIo): Promise<number> {
  const adapter = createSqlHisAdapter(config, { logger: createLogger({ level: 'error' }), facility });
  try {
    const problems = await adapter.check({ sampleRows: SAMPLE_ROWS });
    if (problems.length === 0) {
      io.out(`${path}: valid (sql-his source for facility ${facility.code}; every table, column, join and filter of the mapping checked against the database, values sampled)`);
      return 0;
    }
    io.err(`${path}: the mapping does not fit the database (${problems.length} problem${problems.length === 1 ? '' : 's'}):`);
    for (const problem of problems) io.err(`  ${problem.key}: ${problem.message}`);
    return 1;
  } catch (error) {
    io.err(`${path}: cannot check the database (${error instanceof Error ? error.message : String(error)})`);
    return 1;
  } finally {
    await adapter.close();
  }
}
