import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgliteDatabase } from '../../../adapters/sql-his/PgliteDatabase';
import { pgliteTemplate } from '../../../adapters/sql-his/pgliteTemplate';
import { openDemoHisDatabase } from '../../../demo/hospitals/openDemoHisDatabase';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';

/**
 * In-memory PGlite databases start from one initdb template (adapters/sql-his/pgliteTemplate.ts),
 * kept in a cache folder when one is given; the demo's SQL HIS hospitals share one seeded database.
 */
describe('PGlite from an initdb template', () => {
  let cacheDir: string;
  const open: PgliteDatabase[] = [];

  beforeAll(() => {
    cacheDir = mkdtempSync(join(tmpdir(), 'patient-graph-pglite-template-'));
  });

  afterAll(async () => {
    for (const database of open) await database.close();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('keeps the template, a gzipped tarball of the data directory, in the cache folder', async () => {
    const template = await pgliteTemplate(cacheDir);
    const files = readdirSync(cacheDir);
    expect(files).toEqual([expect.stringMatching(/^pglite-\d+\.\d+\.\d+-template\.tar\.gz$/)]);
    const cached = readFileSync(join(cacheDir, files[0] ?? ''));
    expect(Buffer.compare(cached, Buffer.from(template))).toBe(0);
    expect([cached[0], cached[1]]).toEqual([0x1f, 0x8b]);
  }, 120_000);

  it('starts databases that are independent of each other', async () => {
    const first = PgliteDatabase.open({ templateCacheDir: cacheDir });
    const second = PgliteDatabase.open({ templateCacheDir: cacheDir });
    open.push(first, second);
    await first.query('CREATE TABLE only_here (id int)');
    await first.query('INSERT INTO only_here VALUES (1), (2)');
    expect((await first.query('SELECT count(*)::int AS n FROM only_here')).rows).toEqual([{ n: 2 }]);
    await expect(second.query('SELECT count(*) FROM only_here')).rejects.toMatchObject({ code: '42P01' });
  }, 120_000);

  it('seeds the demo SQL HIS schemas side by side in one database, whose tables do not collide', async () => {
    const population = createDemoPopulation();
    const [vendor, legacy] = [population.facilities[1], population.facilities[3]];
    if (!vendor || !legacy) throw new Error('the demo population has fewer than 4 facilities');
    const database = await openDemoHisDatabase([{ facility: vendor, kind: 'sql-his-vendor' }, { facility: legacy, kind: 'sql-his-legacy' }, { facility: population.facilities[0] ?? vendor, kind: 'fhir-r4' }], population, cacheDir);
    if (!database) throw new Error('no database was opened for two SQL HIS hospitals');
    open.push(database);
    const count = async (table: string): Promise<number> => Number((await database.query(`SELECT count(*)::int AS n FROM "${table}"`)).rows[0]?.n);
    expect(await count('HIS_PATIENT')).toBeGreaterThan(0);
    expect(await count('benh_nhan')).toBeGreaterThan(0);
    await expect(openDemoHisDatabase([{ facility: vendor, kind: 'sql-his-vendor' }, { facility: legacy, kind: 'sql-his-vendor' }], population)).rejects.toThrow(/cannot share/);
    await expect(openDemoHisDatabase([{ facility: vendor, kind: 'xml130' }], population)).resolves.toBeNull();
  }, 120_000);
});
