import { silentLogger } from '../../../core/logging/logger';
import { startSqlDemoHospital, type SqlDemoHospital } from '../../../demo/hospitals/startSqlDemoHospital';
import { facilityRecordsOf } from '../../../demo/population/facilityRecordsOf';
import { createDemoPopulation, DEMO_FACILITIES } from '../../../demo/population/generatePopulation';
import { buildDemoPatientIndex } from '../../../demo/identity/buildDemoPatientIndex';
import { openSqlPatientIndex } from '../../../subgraphs/identity/openSqlPatientIndex';
import { syncPatientChanges } from '../../../subgraphs/identity/syncPatientChanges';
import { testSigning } from '../../helpers/signedPost';
import { createMariaDbDatabase, createPostgresDatabase, type TestDatabase } from './testDatabases';

const population = createDemoPopulation(60);
const facility = DEMO_FACILITIES[0] as (typeof DEMO_FACILITIES)[number];
const charts = facilityRecordsOf(population, facility.code);

describe.each<[string, () => Promise<TestDatabase>, 'postgres' | 'mysql']>([
  ['PostgreSQL (timestamptz)', createPostgresDatabase, 'postgres'],
  ['MariaDB (datetime in Viet Nam time)', createMariaDbDatabase, 'mysql'],
])('SQL HIS registration feed from the mapping’s patients.updatedAt, on %s', (_name, create, dialect) => {
  let database: TestDatabase;
  let hospital: SqlDemoHospital;

  beforeAll(async () => {
    database = await create();
    hospital = await startSqlDemoHospital({
      signing: testSigning(facility.code),
      facility,
      population,
      logger: silentLogger,
      schema: 'modern',
      connection: { dialect, url: database.url },
    });
  }, 120_000);

  afterAll(async () => {
    await hospital?.stop();
    await database?.drop();
  });

  it('lists every chart, pages without loss, then only the row whose birth date the front desk changed', async () => {
    const all = await hospital.adapter.patientsChangedSince('1970-01-01T00:00:00Z', 1000, null);
    expect(all.patients.map((p) => p.localId).sort()).toEqual(charts.map(({ record }) => record.localPatientId).sort());
    const head = await hospital.adapter.patientsChangedSince('1970-01-01T00:00:00Z', 3, null);
    const tail = await hospital.adapter.patientsChangedSince('1970-01-01T00:00:00Z', 1000, head.end);
    expect(head.hasNextPage).toBe(true);
    expect([...head.patients, ...tail.patients].map((p) => p.localId)).toEqual(all.patients.map((p) => p.localId));
    expect(await hospital.adapter.patientsChangedSince(all.end!.updatedAt, 10, all.end)).toEqual({ patients: [], end: null, hasNextPage: false });

    const { record } = charts[0]!;
    const later = new Date(Date.parse(all.end!.updatedAt) + 60_000);
    const value = dialect === 'postgres' ? later.toISOString() : new Date(later.getTime() + 7 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
    await database.execute(`UPDATE patients SET birth_date = '1931-01-31', updated_at = '${value}' WHERE id = '${record.localPatientId}'`);
    const changed = await hospital.adapter.patientsChangedSince(all.end!.updatedAt, 10, all.end);
    expect(changed.patients.map((p) => [p.localId, p.birthDate, p.updatedAt])).toEqual([[record.localPatientId, '1931-01-31', later.toISOString()]]);
  });

  it('feeds identity sync: the charts are linked, and a birth date changed at the HIS unlinks that chart', async () => {
    const index = await openSqlPatientIndex({ kind: 'pglite', dataDir: null });
    try {
      await index.upsertPeople(buildDemoPatientIndex(population).map((p) => ({ ...p })));
      const source = { code: facility.code, url: hospital.url, secret: testSigning(facility.code).secret };
      const { person, record } = charts[1]!;
      // Typed without national ID or card: linked on demographics alone.
      await database.execute(`UPDATE patients SET national_id = NULL, insurance_number = NULL, updated_at = '${instant(dialect, Date.now() + 120_000)}' WHERE id = '${record.localPatientId}'`);
      const [first] = await syncPatientChanges(index, [source], { actor: 'his' });
      expect(first?.error).toBeUndefined();
      const linkOf = async () => (await index.linksOf(person.nationalId)).find((l) => l.facilityCode === facility.code && l.localId === record.localPatientId);
      expect(await linkOf()).toMatchObject({ method: 'DEMOGRAPHICS', decision: 'MATCH' });

      await database.execute(`UPDATE patients SET birth_date = '1931-01-31', updated_at = '${instant(dialect, Date.now() + 180_000)}' WHERE id = '${record.localPatientId}'`);
      const [second] = await syncPatientChanges(index, [source], { actor: 'his' });
      expect(second).toMatchObject({ records: 1, linked: 0 });
      expect(await linkOf()).toBeUndefined();
    } finally {
      await index.close();
    }
  }, 120_000); // an in-process PGlite index starts (initdb) inside the test: slow on a loaded machine
});

/** A time as the demo HIS column holds it: an ISO instant (timestamptz), or Viet Nam wall clock (MariaDB datetime). */
function instant(dialect: 'postgres' | 'mysql', ms: number): string {
  const at = new Date(Math.floor(ms / 1000) * 1000);
  return dialect === 'postgres' ? at.toISOString() : new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}
