import { Client } from 'pg';

/** The machine's PostgreSQL as its superuser (trust auth): tests create and drop their own databases through it. */
const PG_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** Runs one administrative statement (`CREATE DATABASE …`, `DROP DATABASE …`) on its own connection. */
export async function runAsPostgresAdmin(statement: string): Promise<void> {
  const client = new Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
