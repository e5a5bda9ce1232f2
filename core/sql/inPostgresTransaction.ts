import type { Pool, PoolClient } from 'pg';

/**
 * Runs `work` on one pooled connection inside a transaction: COMMIT when it returns, ROLLBACK when
 * it throws (the rollback's own failure is ignored: the original error is the one to report), and
 * the connection back to the pool either way.
 */
export async function inPostgresTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
