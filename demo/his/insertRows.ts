import type { SqlHisExecutor } from '../../adapters/sql-his/SqlHisConnection';

/** Parameters per INSERT: far below PostgreSQL's and MySQL's 65 535, and small enough for PGlite's messages. */
const PARAMETERS_PER_STATEMENT = 5_000;

/** Multi-row INSERTs of a seeder's rows, as many rows per statement as the parameter budget allows. */
export async function insertRows(executor: SqlHisExecutor, table: string, rows: readonly Readonly<Record<string, unknown>>[]): Promise<void> {
  const first = rows[0];
  if (first === undefined) return;
  const perStatement = Math.max(1, Math.floor(PARAMETERS_PER_STATEMENT / Object.keys(first).length));
  for (let i = 0; i < rows.length; i += perStatement) {
    await executor.db.insertInto(table).values(rows.slice(i, i + perStatement)).execute();
  }
}
