import { silentLogger } from '../../../core/logging/logger';
import { PatientGraphError } from '../../../core/errors/PatientGraphError';
import { loadSqlHisMapping, resolveMappingPath } from '../../../adapters/sql-his/loadSqlHisMapping';
import type { PatientChangeCursor } from '../../../adapters/sdk/PatientChanges';
import { startSqlDemoHospital, type DemoHisSchema, type SqlDemoHospital } from '../../../demo/hospitals/startSqlDemoHospital';
import { facilityRecordsOf } from '../../../demo/population/facilityRecordsOf';
import { createDemoPopulation, DEMO_FACILITIES } from '../../../demo/population/generatePopulation';
import { testSigning } from '../../helpers/signedPost';
import { createMariaDbDatabase, createPostgresDatabase, type TestDatabase } from './testDatabases';

const population = createDemoPopulation(60);
const facility = DEMO_FACILITIES[0] as (typeof DEMO_FACILITIES)[number];
const charts = facilityRecordsOf(population, facility.code);
const EPOCH = '1970-01-01T00:00:00Z';

/** How each demo schema writes "changed later" for one chart (its own column, format and id: MA_BN, or the vendor's numeric ID). */
const TOUCH: Readonly<Record<Exclude<DemoHisSchema, 'modern'>, (localId: string, at: Date, q: (name: string) => string) => string>> = {
  legacy: (localId, at) => `UPDATE benh_nhan SET ngay_sinh = '19310131', ngay_cap_nhat = '${vietnamDigits(at).slice(0, 12)}' WHERE ma_bn = '${localId}'`,
  vendor: (localId, at, q) => `UPDATE ${q('HIS_PATIENT')} SET ${q('DOB')} = 19310131000000, ${q('MODIFY_TIME')} = ${vietnamDigits(at)} WHERE ${q('ID')} = ${Number(localId)}`,
};

describe.each<[DemoHisSchema & ('legacy' | 'vendor'), string, () => Promise<TestDatabase>, 'postgres' | 'mysql']>([
  ['legacy', 'MariaDB', createMariaDbDatabase, 'mysql'],
  ['legacy', 'PostgreSQL', createPostgresDatabase, 'postgres'],
  ['vendor', 'PostgreSQL', createPostgresDatabase, 'postgres'],
  ['vendor', 'MariaDB', createMariaDbDatabase, 'mysql'],
])('the %s demo HIS publishes a registration feed paged in SQL, on %s', (schema, _server, create, dialect) => {
  let database: TestDatabase;
  let hospital: SqlDemoHospital;

  beforeAll(async () => {
    database = await create();
    hospital = await startSqlDemoHospital({ signing: testSigning(facility.code), facility, population, logger: silentLogger, schema, connection: { dialect, url: database.url } });
  }, 120_000);

  afterAll(async () => {
    await hospital?.stop();
    await database?.drop();
  });

  it('lists every chart in pages of 2, each page reading at most 3 rows, then only a chart changed later', async () => {
    const seen: string[] = [];
    let after: PatientChangeCursor | null = null;
    for (let pages = 0; pages <= charts.length; pages++) {
      const before = hospital.adapter.stats().rowsRead;
      const page = await hospital.adapter.patientsChangedSince(EPOCH, 2, after);
      // The database cut the page: never every row read and sliced here.
      expect(hospital.adapter.stats().rowsRead - before).toBeLessThanOrEqual(3);
      seen.push(...page.patients.map((p) => p.localId));
      after = page.end ?? after;
      if (!page.hasNextPage) break;
    }
    const all = await hospital.adapter.patientsChangedSince(EPOCH, 1000, null);
    expect(all.patients).toHaveLength(charts.length);
    expect(seen).toEqual(all.patients.map((p) => p.localId));
    expect(new Set(seen).size).toBe(charts.length);
    expect(after).not.toBeNull();

    const end = after as PatientChangeCursor;
    expect(await hospital.adapter.patientsChangedSince(end.updatedAt, 10, end)).toEqual({ patients: [], end: null, hasNextPage: false });
    const localId = seen[0]!;
    const later = new Date(Math.ceil((Date.parse(end.updatedAt) + 120_000) / 60_000) * 60_000);
    await database.execute(TOUCH[schema](localId, later, (name) => (dialect === 'postgres' ? `"${name}"` : name)));
    const changed = await hospital.adapter.patientsChangedSince(end.updatedAt, 10, end);
    expect(changed.patients.map((p) => [p.localId, p.birthDate, p.updatedAt])).toEqual([[localId, '1931-01-31', later.toISOString()]]);
  });
});

describe('a SQL HIS mapping without patients.updatedAt', () => {
  let hospital: SqlDemoHospital;

  beforeAll(async () => {
    const mapping = loadSqlHisMapping(resolveMappingPath('demo-legacy'));
    hospital = await startSqlDemoHospital({
      signing: testSigning(facility.code), facility, population, logger: silentLogger, schema: 'legacy',
      mapping: { ...mapping, patients: { ...mapping.patients, updatedAt: null } },
    });
  }, 120_000);

  afterAll(async () => {
    await hospital?.stop();
  });

  it('publishes no feed: SOURCE_ERROR naming the missing column, no statement run', async () => {
    const statements = hospital.adapter.stats().statements;
    const refusal = await hospital.adapter.patientsChangedSince(EPOCH, 10, null).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(PatientGraphError);
    expect(refusal).toMatchObject({ code: 'SOURCE_ERROR', message: expect.stringContaining('patients.updatedAt') });
    expect(hospital.adapter.stats().statements).toEqual(statements);
  });
});

/** An instant as the Viet Nam wall clock in digits, yyyyMMddHHmmss. */
function vietnamDigits(at: Date): string {
  return new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 19).replace(/\D/g, '');
}
