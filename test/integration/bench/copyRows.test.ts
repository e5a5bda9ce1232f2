import { Client } from 'pg';
import { copyRows, copyText } from '../../../bench/analytics/copyRows';
import { runAsPostgresAdmin } from '../../helpers/postgresAdmin';

// The analytics benchmark's bulk load into PostgreSQL (bench/analytics/loadSourcesProcess.ts), on the real server.
const DATABASE = `analytics1m_copy_${process.pid}`;

describe('copyRows: COPY FROM STDIN through the pg client alone', () => {
  let client: Client;

  beforeAll(async () => {
    await runAsPostgresAdmin(`CREATE DATABASE ${DATABASE}`);
    client = new Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${DATABASE}` });
    await client.connect();
    await client.query('CREATE TABLE "HIS_ROWS" ("ID" bigint PRIMARY KEY, "NAME" varchar(200), "AMOUNT" numeric, "IS_DELETE" smallint)');
  }, 120_000);

  afterAll(async () => {
    await client?.end();
    await runAsPostgresAdmin(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  }, 120_000);

  it('writes every row as given: nulls, tabs, newlines, backslashes and Vietnamese text survive', async () => {
    const rows = [
      { ID: 1, NAME: 'Nguyễn Thị Ánh', AMOUNT: 12.5, IS_DELETE: 0 },
      { ID: 2, NAME: 'a\tb\nc\rd\\e', AMOUNT: null, IS_DELETE: null },
      { ID: 3, NAME: '\\N', AMOUNT: -1, IS_DELETE: 1 },
      { ID: 4, NAME: '', AMOUNT: 0, IS_DELETE: 0 },
    ];
    await expect(copyRows(client, 'HIS_ROWS', rows)).resolves.toBe(4);
    const read = await client.query<{ ID: string; NAME: string | null; AMOUNT: string | null; IS_DELETE: number | null }>('SELECT * FROM "HIS_ROWS" ORDER BY "ID"');
    expect(read.rows).toEqual([
      { ID: '1', NAME: 'Nguyễn Thị Ánh', AMOUNT: '12.5', IS_DELETE: 0 },
      { ID: '2', NAME: 'a\tb\nc\rd\\e', AMOUNT: null, IS_DELETE: null },
      { ID: '3', NAME: '\\N', AMOUNT: '-1', IS_DELETE: 1 },
      { ID: '4', NAME: '', AMOUNT: '0', IS_DELETE: 0 },
    ]);
  });

  it('writes many rows in one COPY, across several CopyData messages', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => ({ ID: 1_000 + i, NAME: `Bệnh nhân ${i} ${'x'.repeat(20)}`, AMOUNT: i, IS_DELETE: i % 2 }));
    await expect(copyRows(client, 'HIS_ROWS', rows)).resolves.toBe(20_000);
    const read = await client.query<{ n: string; s: string }>('SELECT count(*) AS n, sum("AMOUNT") AS s FROM "HIS_ROWS" WHERE "ID" >= 1000');
    expect(read.rows[0]).toEqual({ n: '20000', s: String((19_999 * 20_000) / 2) });
  });

  it('rejects with the server error (a duplicate key) and leaves the client usable', async () => {
    await client.query('INSERT INTO "HIS_ROWS" ("ID", "NAME") VALUES (999999, \'first\')');
    await expect(copyRows(client, 'HIS_ROWS', [{ ID: 999_998, NAME: 'again', AMOUNT: 0, IS_DELETE: 0 }, { ID: 999_999, NAME: 'again', AMOUNT: 0, IS_DELETE: 0 }])).rejects.toThrow(/duplicate key/);
    const read = await client.query<{ n: string }>('SELECT count(*) AS n FROM "HIS_ROWS" WHERE "NAME" = \'again\'');
    expect(read.rows[0]?.n).toBe('0');
  });

  it('writes nothing for no rows', async () => {
    await expect(copyRows(client, 'HIS_ROWS', [])).resolves.toBe(0);
  });

  it('refuses a value COPY text cannot carry as given', () => {
    expect(() => copyText({ nested: true })).toThrow(TypeError);
    expect(copyText(null)).toBe('\\N');
    expect(copyText(true)).toBe('t');
  });
});
