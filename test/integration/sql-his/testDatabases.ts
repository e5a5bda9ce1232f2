import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';

/**
 * Throw-away databases on this machine's PostgreSQL and MariaDB (docs/architecture.md §8): each test file
 * creates its own, with a unique name, and drops it afterwards.
 */
export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  /** Runs administrative SQL in the database (writable; views for timeout tests). */
  execute(statement: string): Promise<void>;
  drop(): Promise<void>;
}

const PG_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/test';
const MARIADB = { host: '127.0.0.1', port: 3306, user: 'root' } as const;

function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export async function createPostgresDatabase(): Promise<TestDatabase> {
  const name = uniqueName('pg_his_test');
  await withPostgres(PG_ADMIN_URL, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = `postgres://postgres@127.0.0.1:5432/${name}`;
  return {
    name,
    url,
    execute: (statement) => withPostgres(url, async (client) => void (await client.query(statement))),
    drop: () => withPostgres(PG_ADMIN_URL, async (client) => void (await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}

export async function createMariaDbDatabase(): Promise<TestDatabase> {
  const name = uniqueName('maria_his_test');
  await withMariaDb(undefined, (connection) => connection.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`));
  return {
    name,
    url: `mysql://${MARIADB.user}@${MARIADB.host}:${MARIADB.port}/${name}`,
    execute: (statement) => withMariaDb(name, async (connection) => void (await connection.query(statement))),
    drop: () => withMariaDb(undefined, async (connection) => void (await connection.query(`DROP DATABASE IF EXISTS ${name}`))),
  };
}

async function withPostgres<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function withMariaDb<T>(database: string | undefined, work: (connection: Awaited<ReturnType<typeof createConnection>>) => Promise<T>): Promise<T> {
  const connection = await createConnection({ ...MARIADB, ...(database ? { database } : {}) });
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}
