import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPgliteDataDir } from '../../../adapters/sql-his/createPgliteDataDir';
import { PgliteDatabase } from '../../../adapters/sql-his/PgliteDatabase';
import { PGLITE_EMBEDDED_SETTINGS } from '../../../adapters/sql-his/pgliteEmbeddedSettings';
import { openXml130Sql } from '../../../adapters/xml130/index/Xml130Sql';
import { openDemoHisDatabase } from '../../../demo/hospitals/openDemoHisDatabase';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';

type Query = (sql: string, params?: readonly unknown[]) => Promise<readonly Record<string, unknown>[]>;

const MEMORY_SETTINGS = ['shared_buffers', 'work_mem', 'maintenance_work_mem', 'temp_buffers', 'wal_buffers'] as const;

/** A setting in bytes (memory) or as a number (max_connections), as PostgreSQL holds it. */
async function settingValue(query: Query, name: string): Promise<number> {
  const rows = await query(`SELECT setting::bigint * (CASE unit WHEN '8kB' THEN 8192 WHEN 'kB' THEN 1024 WHEN 'MB' THEN 1048576 ELSE 1 END) AS value FROM pg_settings WHERE name = $1`, [name]);
  return Number(rows[0]?.value);
}

function bytesOf(text: string): number {
  const match = /^(\d+)(kB|MB)?$/.exec(text);
  if (!match) throw new Error(`not a setting this test reads: ${text}`);
  return Number(match[1]) * (match[2] === 'MB' ? 1048576 : match[2] === 'kB' ? 1024 : 1);
}

/** Every memory setting at most its embedded bound, and max_connections too. */
async function expectBounded(query: Query): Promise<void> {
  for (const name of [...MEMORY_SETTINGS, 'max_connections']) {
    const bound = PGLITE_EMBEDDED_SETTINGS[name];
    if (bound === undefined) throw new Error(`PGLITE_EMBEDDED_SETTINGS has no ${name}`);
    expect({ name, withinBound: (await settingValue(query, name)) <= bytesOf(bound) }).toEqual({ name, withinBound: true });
  }
}

/**
 * Every embedded PGlite the demo opens (the SQL HIS hospitals' database, the QĐ 130 index, the
 * patient index in a data directory) starts with bounded memory settings (issue 9: the demo
 * ≤ 600 MB), not PostgreSQL's server defaults (shared_buffers 128MB, max_connections 100).
 */
describe('embedded PGlite memory settings', () => {
  let dir: string;
  const open: { close(): Promise<void> }[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'patient-graph-pglite-mem-'));
  });

  afterAll(async () => {
    for (const database of open) await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const viaPglite = (database: PgliteDatabase): Query => async (sql, params) => (await database.query(sql, params ?? [])).rows;

  it('the demo SQL HIS database runs with the bounded settings', async () => {
    const population = createDemoPopulation();
    const [vendor, legacy] = [population.facilities[1], population.facilities[3]];
    if (!vendor || !legacy) throw new Error('the demo population has fewer than 4 facilities');
    const database = await openDemoHisDatabase([{ facility: vendor, kind: 'sql-his-vendor' }, { facility: legacy, kind: 'sql-his-legacy' }], population, join(dir, 'cache'));
    if (!database) throw new Error('no database was opened for two SQL HIS hospitals');
    open.push(database);
    for (const [name, value] of Object.entries(PGLITE_EMBEDDED_SETTINGS)) {
      expect({ name, value: (await database.query('SELECT current_setting($1) AS value', [name])).rows[0]?.value }).toEqual({ name, value });
    }
    await expectBounded(viaPglite(database));
  }, 180_000);

  it('a PGlite in a data directory (the demo patient index) runs with them too', async () => {
    const dataDir = join(dir, 'patient-index');
    await createPgliteDataDir(dataDir);
    const database = PgliteDatabase.open({ dataDir });
    open.push(database);
    await expectBounded(viaPglite(database));
    expect(await settingValue(viaPglite(database), 'shared_buffers')).toBe(16 * 1048576);
  }, 180_000);

  it('the QĐ 130 index store in PGlite runs within the bounds', async () => {
    const sql = await openXml130Sql({ kind: 'pglite', dataDir: join(dir, 'xml130-index') });
    open.push(sql);
    await expectBounded(sql.query);
  }, 180_000);

  it('an opener overrides one setting and keeps the other bounds', async () => {
    const database = PgliteDatabase.open({ settings: { work_mem: '8MB' } });
    open.push(database);
    const query = viaPglite(database);
    expect(await settingValue(query, 'work_mem')).toBe(8 * 1048576);
    expect(await settingValue(query, 'shared_buffers')).toBe(16 * 1048576);
    expect(await settingValue(query, 'max_connections')).toBe(4);
  }, 180_000);
});
