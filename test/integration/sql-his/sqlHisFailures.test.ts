import { openSqlHisConnection } from '../../../adapters/sql-his/openSqlHisConnection';
import { PgliteDatabase } from '../../../adapters/sql-his/PgliteDatabase';
import type { SqlHisConnectionSettings } from '../../../adapters/sql-his/SqlHisConfig';
import type { SqlHisExecutor } from '../../../adapters/sql-his/SqlHisConnection';
import type { SqlHisMapping } from '../../../adapters/sql-his/SqlHisMapping';
import { loadSqlHisMapping, resolveMappingPath } from '../../../adapters/sql-his/loadSqlHisMapping';
import { silentLogger } from '../../../core/logging/logger';
import { seedLegacyHis } from '../../../demo/his/seedLegacyHis';
import { seedModernHis } from '../../../demo/his/seedModernHis';
import { startSqlDemoHospital, type SqlDemoHospital } from '../../../demo/hospitals/startSqlDemoHospital';
import { createDemoPopulation, DEMO_FACILITIES } from '../../../demo/population/generatePopulation';
import { captureLogger } from '../../helpers/captureLogger';
import { chartsAt, postEntities, representationOf } from './sqlHisFixtures';
import { createMariaDbDatabase, createPostgresDatabase, type TestDatabase } from './testDatabases';
import { testSigning } from '../../helpers/signedPost';

/**
 * How a sql-his hospital fails: a slow database (statement timeout → SOURCE_TIMEOUT), one that
 * cannot be reached or rejects a statement (SOURCE_UNAVAILABLE), always for that facility only,
 * with messages that carry no SQL, URL or patient data; and sessions that refuse to write.
 */
const population = createDemoPopulation(120);
const facility = DEMO_FACILITIES[1] as (typeof DEMO_FACILITIES)[number];
const person = chartsAt(population, facility.code, (r) => r.hasNationalId)[0]!.person;
const TIMEOUT_MS = 300;

/** The demo mapping with the patients table swapped for another table or view. */
function mappingOver(name: 'demo-modern' | 'demo-legacy', patientsTable: string): SqlHisMapping {
  const mapping = loadSqlHisMapping(resolveMappingPath(name));
  return { ...mapping, patients: { ...mapping.patients, table: patientsTable } };
}

async function withWriter(settings: SqlHisConnectionSettings, pglite: PgliteDatabase | undefined, work: (writer: SqlHisExecutor) => Promise<void>): Promise<void> {
  const writer = openSqlHisConnection(settings, { readOnly: false, ...(pglite ? { pglite } : {}) });
  try {
    await work(writer);
  } finally {
    await writer.close();
  }
}

async function expectSourceError(hospital: SqlDemoHospital, code: string): Promise<string> {
  const response = await postEntities(hospital, [representationOf(person)]);
  expect(response.status).toBe(200);
  expect(response.body.errors?.map((e) => e.extensions)).toEqual([expect.objectContaining({ code, facilityCode: facility.code })]);
  return response.text;
}

describe('sql-his statement timeout', () => {
  it('reports SOURCE_TIMEOUT when a PostgreSQL statement exceeds statement_timeout (a view that calls pg_sleep)', async () => {
    const database = await createPostgresDatabase();
    let hospital: SqlDemoHospital | undefined;
    try {
      const settings: SqlHisConnectionSettings = { dialect: 'postgres', url: database.url, poolMax: 2, statementTimeoutMs: TIMEOUT_MS, connectTimeoutMs: 3_000 };
      await withWriter(settings, undefined, (writer) => seedModernHis(writer, population, facility.code).then(() => undefined));
      await database.execute('CREATE VIEW slow_patients AS SELECT p.* FROM patients p CROSS JOIN pg_sleep(300)');
      hospital = await startSqlDemoHospital({
        signing: testSigning(facility.code), facility, population, logger: silentLogger, schema: 'modern', seed: false, statementTimeoutMs: TIMEOUT_MS,
        connection: { dialect: 'postgres', url: database.url }, mapping: mappingOver('demo-modern', 'slow_patients'),
      });
      // The view sleeps far longer than the test may run: only the statement timeout answers.
      await expectSourceError(hospital, 'SOURCE_TIMEOUT');
    } finally {
      await hospital?.stop();
      await database.drop();
    }
  });

  it('reports SOURCE_TIMEOUT when a MariaDB statement exceeds max_statement_time (a view that calls SLEEP)', async () => {
    const database = await createMariaDbDatabase();
    let hospital: SqlDemoHospital | undefined;
    try {
      const settings: SqlHisConnectionSettings = { dialect: 'mysql', url: database.url, poolMax: 2, statementTimeoutMs: TIMEOUT_MS, connectTimeoutMs: 3_000 };
      await withWriter(settings, undefined, (writer) => seedLegacyHis(writer, population, facility.code).then(() => undefined));
      await database.execute('CREATE VIEW slow_benh_nhan AS SELECT b.* FROM benh_nhan b WHERE SLEEP(300) = 0');
      hospital = await startSqlDemoHospital({
        signing: testSigning(facility.code), facility, population, logger: silentLogger, schema: 'legacy', seed: false, statementTimeoutMs: TIMEOUT_MS,
        connection: { dialect: 'mysql', url: database.url }, mapping: mappingOver('demo-legacy', 'slow_benh_nhan'),
      });
      // The view sleeps far longer than the test may run: only the statement timeout answers.
      await expectSourceError(hospital, 'SOURCE_TIMEOUT');
    } finally {
      await hospital?.stop();
      await database.drop();
    }
  });

  it('reports SOURCE_TIMEOUT when a PGlite statement outlives its deadline (PGlite cannot cancel; the deadline is client-side)', async () => {
    const pglite = PgliteDatabase.open();
    let hospital: SqlDemoHospital | undefined;
    try {
      const settings: SqlHisConnectionSettings = { dialect: 'pglite', dataDir: null, statementTimeoutMs: 30_000 };
      await withWriter(settings, pglite, async (writer) => {
        await seedLegacyHis(writer, population, facility.code);
        await pglite.query('CREATE VIEW slow_benh_nhan AS SELECT b.* FROM benh_nhan b CROSS JOIN pg_sleep(1)');
      });
      hospital = await startSqlDemoHospital({
        signing: testSigning(facility.code), facility, population, logger: silentLogger, schema: 'legacy', seed: false, statementTimeoutMs: TIMEOUT_MS,
        pglite, mapping: mappingOver('demo-legacy', 'slow_benh_nhan'),
      });
      await expectSourceError(hospital, 'SOURCE_TIMEOUT');
    } finally {
      await hospital?.stop();
      await pglite.close();
    }
  }, 120_000);
});

describe('sql-his database that cannot be reached or fails', () => {
  it.each<['postgres' | 'mysql', string]>([
    ['postgres', 'postgres://postgres@127.0.0.1:1/patient_graph_nowhere'],
    ['mysql', 'mysql://root@127.0.0.1:1/patient_graph_nowhere'],
  ])('reports SOURCE_UNAVAILABLE for the facility when %s refuses connections, and keeps serving', async (dialect, url) => {
    const { logger, lines } = captureLogger();
    const hospital = await startSqlDemoHospital({ facility, population, logger, schema: 'legacy', seed: false, connection: { dialect, url }, signing: testSigning(facility.code) });
    try {
      const first = await expectSourceError(hospital, 'SOURCE_UNAVAILABLE');
      await expectSourceError(hospital, 'SOURCE_UNAVAILABLE');
      expect(first).not.toMatch(/127\.0\.0\.1|patient_graph_nowhere|select|benh_nhan/i);
      expect(first).not.toContain(person.nationalId);
      expect(lines.some((line) => line.includes('sql_his.statement_failed') && line.includes('ECONNREFUSED'))).toBe(true);
    } finally {
      await hospital.stop();
    }
  });

  it('reports SOURCE_UNAVAILABLE naming the SQLSTATE when the mapping names a column the database lacks', async () => {
    const database = await createPostgresDatabase();
    let hospital: SqlDemoHospital | undefined;
    try {
      const mapping = loadSqlHisMapping(resolveMappingPath('demo-modern'));
      hospital = await startSqlDemoHospital({
        signing: testSigning(facility.code), facility, population, logger: silentLogger, schema: 'modern', connection: { dialect: 'postgres', url: database.url },
        mapping: { ...mapping, patients: { ...mapping.patients, nationalId: 'so_cccd' } },
      });
      const text = await expectSourceError(hospital, 'SOURCE_UNAVAILABLE');
      expect(text).toContain('42703');
      expect(text).not.toContain('so_cccd');
    } finally {
      await hospital?.stop();
      await database.drop();
    }
  });
});

describe('openSqlHisConnection', () => {
  const common = { poolMax: 2, statementTimeoutMs: 5_000, connectTimeoutMs: 3_000 };
  const backends: [string, () => Promise<{ settings: SqlHisConnectionSettings; pglite?: PgliteDatabase; cleanup: () => Promise<void> }>][] = [
    ['PostgreSQL', async () => {
      const database: TestDatabase = await createPostgresDatabase();
      return { settings: { dialect: 'postgres', url: database.url, ...common }, cleanup: () => database.drop() };
    }],
    ['MariaDB', async () => {
      const database: TestDatabase = await createMariaDbDatabase();
      return { settings: { dialect: 'mysql', url: database.url, ...common }, cleanup: () => database.drop() };
    }],
    ['PGlite', async () => {
      const pglite = PgliteDatabase.open();
      return { settings: { dialect: 'pglite', dataDir: null, statementTimeoutMs: 5_000 }, pglite, cleanup: () => pglite.close() };
    }],
  ];

  it.each(backends)('opens read-only sessions on %s: reads work, a write is refused', async (_name, open) => {
    const backend = await open();
    try {
      await withWriter(backend.settings, backend.pglite, async (writer) => {
        await writer.db.schema.createTable('probe').addColumn('x', 'varchar(10)').execute();
        await writer.db.insertInto('probe').values({ x: 'written' }).execute();
      });
      const reader = openSqlHisConnection(backend.settings, backend.pglite ? { pglite: backend.pglite } : {});
      try {
        await expect(reader.db.selectFrom('probe').select('x').execute()).resolves.toEqual([{ x: 'written' }]);
        await expect(reader.db.insertInto('probe').values({ x: 'sneaked' }).execute()).rejects.toThrow(/read[- ]only/i);
        await expect(reader.db.deleteFrom('probe').execute()).rejects.toThrow(/read[- ]only/i);
        expect(reader.statements()).toBe(3);
      } finally {
        await reader.close();
      }
    } finally {
      await backend.cleanup();
    }
  }, 120_000);
});
