import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlHisConnection } from '../../../adapters/sql-his/openSqlHisConnection';
import { PgliteDatabase } from '../../../adapters/sql-his/PgliteDatabase';
import { createXml130Adapter } from '../../../adapters/xml130/createXml130Adapter';
import { DEFAULT_XML130_LIMITS } from '../../../adapters/xml130/Xml130Limits';
import { seedDemoHisDatabase } from '../../../demo/hospitals/openDemoHisDatabase';
import { seedDemoPatientIndex } from '../../../demo/identity/seedDemoPatientIndex';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import type { DemoFacility } from '../../../demo/population/types';
import { startDemoNetwork } from '../../../demo/startDemoNetwork';
import { writeXml130Folder } from '../../../demo/xml130/writeXml130Folder';
import { openSqlPatientIndex } from '../../../subgraphs/identity/openSqlPatientIndex';
import { captureLogger } from '../../helpers/captureLogger';

const population = createDemoPopulation();
const facility = (code: string): DemoFacility => {
  const found = population.facilities.find((f) => f.code === code);
  if (!found) throw new Error(`the demo population has no facility ${code}`);
  return found;
};
const VENDOR = facility('79902');
const XML130 = facility('48903');
const LEGACY = facility('92904');

const tableNames = async (database: PgliteDatabase): Promise<string[]> =>
  (await database.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")).rows.map((r) => String(r.tablename));

describe('the demo stores on one shared PGlite', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('ingests QĐ 130 files while the patient index writes and a read-only HIS reads, each store whole, the HIS still refused writes', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'one-pglite-xml130-'));
    dirs.push(folder);
    const written = await writeXml130Folder({ population, facility: XML130, folder, hosoPerFile: 20 });
    const database = PgliteDatabase.open();
    try {
      await seedDemoHisDatabase(database, [{ facility: VENDOR, kind: 'sql-his-vendor' }], population);
      const hisPatients = Number((await database.query('SELECT count(*)::int AS n FROM "HIS_PATIENT"')).rows[0]?.n);
      expect(hisPatients).toBeGreaterThan(0);
      const index = await openSqlPatientIndex({ kind: 'pglite', dataDir: null }, { pglite: database });
      const reader = openSqlHisConnection({ dialect: 'pglite', dataDir: null, statementTimeoutMs: 60_000 }, { pglite: database });
      const reads = async (): Promise<number[]> => {
        const counts: number[] = [];
        for (let i = 0; i < 20; i += 1) {
          const rows = await reader.db.selectFrom('HIS_PATIENT' as never).select((eb) => eb.fn.countAll<number>().as('n')).execute();
          counts.push(Number((rows[0])?.n));
        }
        return counts;
      };
      // Started together: the ingest's file transactions, the index's writes and the HIS reads interleave in the one worker.
      const [adapter, , counts] = await Promise.all([
        createXml130Adapter(
          { folder, watch: false, debounceMs: 200, rescanIntervalMs: 0, limits: DEFAULT_XML130_LIMITS, index: { kind: 'pglite', dataDir: null } },
          { logger: captureLogger().logger, facility: XML130, pglite: database },
        ),
        seedDemoPatientIndex(index, population),
        reads(),
        expect(reader.db.deleteFrom('HIS_PATIENT' as never).execute()).rejects.toMatchObject({ code: '25006' }),
      ]);
      expect(adapter.stats().hoso).toBe(written.hoso);
      expect(await index.count()).toBe(population.people.length);
      expect(counts).toEqual(counts.map(() => hisPatients));
      // Refused on the HIS's connection, a write on the index's right after it goes through.
      await expect(reader.db.deleteFrom('HIS_PATIENT' as never).execute()).rejects.toMatchObject({ code: '25006' });
      await index.saveFeedCheckpoint(VENDOR.code, { changedSince: '2026-01-01T00:00:00Z', after: 'after-refusal' });
      expect(await index.feedCheckpoint(VENDOR.code)).toEqual({ changedSince: '2026-01-01T00:00:00Z', after: 'after-refusal' });
      // The stores' close leaves the shared database open for the others.
      await adapter.close();
      await index.close();
      await reader.close();
      expect(await tableNames(database)).toEqual(expect.arrayContaining(['HIS_PATIENT', 'identity_person', 'xml130_hoso']));
      expect((await database.query('SELECT count(*)::int AS n FROM "HIS_PATIENT"')).rows).toEqual([{ n: hisPatients }]);
    } finally {
      await database.close();
    }
  }, 240_000);

  it('opens exactly one PGlite for the SQL HIS hospitals, the QĐ 130 index and the patient index; a restart keeps the index and rebuilds the rest', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'one-pglite-state-'));
    dirs.push(stateDir);
    const start = () =>
      startDemoNetwork({
        logger: captureLogger().logger,
        population,
        facilities: [VENDOR, XML130, LEGACY],
        stateDir,
        patientIndex: { kind: 'pglite', dataDir: join(stateDir, 'patient-index') },
        hospitalTimeoutMs: 60_000,
      });
    const opens = jest.spyOn(PgliteDatabase, 'open');
    try {
      for (const round of [1, 2]) {
        opens.mockClear();
        const network = await start();
        try {
          expect(opens).toHaveBeenCalledTimes(1);
          const database = opens.mock.results[0]?.value as PgliteDatabase;
          expect(await tableNames(database)).toEqual(expect.arrayContaining(['HIS_PATIENT', 'benh_nhan', 'identity_person', 'xml130_hoso']));
          expect(Number((await database.query('SELECT count(*)::int AS n FROM identity_person')).rows[0]?.n)).toBe(population.people.length);
          if (round === 1) await database.query("INSERT INTO identity_feed_checkpoint (facility_code, changed_since) VALUES ('00000', 'kept') ON CONFLICT DO NOTHING");
          else expect((await database.query("SELECT changed_since FROM identity_feed_checkpoint WHERE facility_code = '00000'")).rows).toEqual([{ changed_since: 'kept' }]);
        } finally {
          await network.stop();
        }
      }
    } finally {
      opens.mockRestore();
    }
  }, 480_000);
});
