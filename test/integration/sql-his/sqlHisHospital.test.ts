import { openSqlHisConnection } from '../../../adapters/sql-his/openSqlHisConnection';
import { PgliteDatabase } from '../../../adapters/sql-his/PgliteDatabase';
import type { SqlHisConnectionSettings } from '../../../adapters/sql-his/SqlHisConfig';
import { silentLogger } from '../../../core/logging/logger';
import { CLINICAL_RESOURCE_KINDS, type ClinicalResourceKind } from '../../../contracts/model/clinical';
import { startDemoHospital, type SyntheticDemoHospital } from '../../../demo/hospitals/startDemoHospital';
import { startSqlDemoHospital, type DemoHisSchema, type SqlDemoHospital } from '../../../demo/hospitals/startSqlDemoHospital';
import { createDemoPopulation, DEMO_FACILITIES } from '../../../demo/population/generatePopulation';
import type { SyntheticPerson } from '../../../demo/population/types';
import { chartsAt, expectedChart, MATCH_QUERY, postEntities, representationOf } from './sqlHisFixtures';
import { createMariaDbDatabase, createPostgresDatabase } from './testDatabases';
import { postSignedGraphQL, testSigning } from '../../helpers/signedPost';

/**
 * Demo hospitals whose source is a relational HIS, over real HTTP (`_entities` as the gateway
 * sends it): the modern schema on PostgreSQL, the legacy schema on MariaDB, and both on PGlite.
 * What they answer is compared with the generator's charts and with a synthetic hospital over the
 * same population (same SDK, in-memory adapter): the SQL round trip must change nothing.
 */
const population = createDemoPopulation(300);
const facility = DEMO_FACILITIES[0] as (typeof DEMO_FACILITIES)[number];
const HOSTILE = "'; DROP TABLE benh_nhan; --";
const PATIENTS_TABLE: Readonly<Record<DemoHisSchema, string>> = { modern: 'patients', legacy: 'benh_nhan', vendor: 'HIS_PATIENT' };
/** Kinds each demo HIS has no table for. */
const ABSENT: Readonly<Record<DemoHisSchema, readonly ClinicalResourceKind[]>> = { modern: [], legacy: ['conditions'], vendor: ['conditions', 'allergies'] };

type BackendName = 'postgres' | 'mysql' | 'pglite';

interface Backend {
  readonly settings: SqlHisConnectionSettings;
  readonly pglite?: PgliteDatabase;
  cleanup(): Promise<void>;
}

async function openBackend(name: BackendName): Promise<Backend> {
  const common = { poolMax: 5, statementTimeoutMs: 10_000, connectTimeoutMs: 3_000 };
  switch (name) {
    case 'postgres': {
      const database = await createPostgresDatabase();
      return { settings: { dialect: 'postgres', url: database.url, ...common }, cleanup: () => database.drop() };
    }
    case 'mysql': {
      const database = await createMariaDbDatabase();
      return { settings: { dialect: 'mysql', url: database.url, ...common }, cleanup: () => database.drop() };
    }
    case 'pglite': {
      const pglite = PgliteDatabase.open();
      return { settings: { dialect: 'pglite', dataDir: null, statementTimeoutMs: 10_000 }, pglite, cleanup: () => pglite.close() };
    }
  }
}

/** Both hospitals hold the network's analytics key, so their patient pseudonyms can be compared. */
const ANALYTICS_KEY = Buffer.alloc(32, 7);
const peopleHere = population.people.filter((p) => p.records.some((r) => r.facilityCode === facility.code));
let synthetic: SyntheticDemoHospital;

beforeAll(async () => {
  synthetic = await startDemoHospital({ facility, population, logger: silentLogger, signing: testSigning(facility.code), analyticsKey: ANALYTICS_KEY });
});

afterAll(async () => {
  await synthetic.stop();
});

describe.each<[string, DemoHisSchema, BackendName]>([
  ['modern schema on PostgreSQL', 'modern', 'postgres'],
  ['legacy schema on MariaDB', 'legacy', 'mysql'],
  ['legacy schema on PGlite', 'legacy', 'pglite'],
  ['modern schema on PGlite', 'modern', 'pglite'],
])('startSqlDemoHospital: %s', (_name, schema, backendName) => {
  let backend: Backend;
  let hospital: SqlDemoHospital;

  beforeAll(async () => {
    backend = await openBackend(backendName);
    hospital = await startSqlDemoHospital({
      signing: testSigning(facility.code),
      facility,
      population,
      logger: silentLogger,
      schema,
      analyticsKey: ANALYTICS_KEY,
      ...(backend.settings.dialect === 'pglite' ? { pglite: backend.pglite } : { connection: { dialect: backend.settings.dialect, url: backend.settings.url } }),
    });
  }, 60_000);

  afterAll(async () => {
    await hospital?.stop();
    await backend?.cleanup();
  });

  it('returns a chart exactly as the generator wrote it: codes, +07:00 dates, units, costs, diagnoses', async () => {
    // Someone with every kind of record, an emergency or inpatient stay and an allergy, if there is one.
    const charts = chartsAt(population, facility.code, (r) => r.hasNationalId);
    const rich = charts.find(({ record }) => record.resources.allergies.length > 0 && record.resources.procedures.length > 0) ?? charts[0];
    const { person, record } = rich!;
    const response = await postEntities(hospital, [representationOf(person)]);
    expect(response.body.errors).toBeUndefined();
    const entity = response.body.data!._entities[0]!;
    const expected = expectedChart(record, facility.code, ABSENT[schema]);
    for (const kind of CLINICAL_RESOURCE_KINDS) {
      expect([...entity[kind]].sort((a, b) => (a.id < b.id ? -1 : 1))).toEqual(expected[kind]);
    }
    expect(entity.encounters.length).toBeGreaterThan(0);
    expect(entity.encounters.every((e) => /\+07:00$/.test((e.period as { start: string }).start))).toBe(true);
  });

  it('answers every patient of the facility as the synthetic hospital does (same SDK, in-memory source)', async () => {
    const representations = peopleHere.map((person) => representationOf(person));
    const [fromSql, fromMemory] = await Promise.all([postEntities(hospital, representations), postEntities(synthetic, representations)]);
    expect(fromSql.body.errors).toBeUndefined();
    const expected = fromMemory.body.data!._entities.map((entity) => ({ ...entity, ...Object.fromEntries(ABSENT[schema].map((kind) => [kind, []])) }));
    expect(fromSql.body.data!._entities).toEqual(expected);
  });

  it('matches a chart by national ID, and one registered without it by the insurance number', async () => {
    const byNationalId = chartsAt(population, facility.code, (r) => r.hasNationalId)[0]!;
    const byCard = chartsAt(population, facility.code, (r, p) => !r.hasNationalId && r.hasInsuranceNumber && p.insuranceNumber !== null)[0]!;
    const response = await postEntities(hospital, [representationOf(byNationalId.person), representationOf(byCard.person)], MATCH_QUERY);
    expect(response.body.errors).toBeUndefined();
    const [first, second] = response.body.data!._entities;
    expect(first!.encounters.length).toBe(byNationalId.record.resources.encounters.length);
    expect(first!.encounters.every((e) => (e.match as { method: string }).method === 'NATIONAL_ID')).toBe(true);
    expect(second!.encounters.length).toBe(byCard.record.resources.encounters.length);
    expect(second!.encounters.every((e) => (e.match as { method: string }).method === 'INSURANCE_NUMBER')).toBe(true);
    expect(second!.encounters[0]!.source).toEqual({ facilityCode: facility.code, system: 'sql-his' });
  });

  it('reads the patient row with its identifiers, name, birth date and gender decoded', async () => {
    const { person, record } = chartsAt(population, facility.code, (r) => r.hasNationalId && r.hasInsuranceNumber)[0]!;
    const found = await hospital.adapter.findPatients({ nationalIds: [person.nationalId], socialInsuranceNumbers: [], birthDates: [] });
    expect(found).toEqual([{
      localId: record.localPatientId,
      nationalId: person.nationalId,
      insuranceNumber: person.insuranceNumber,
      fullName: person.name.full,
      birthDate: person.birthDate,
      gender: person.gender,
      // Patient.sourceIdentifiers: the CCCD and card columns in their systems (these mappings declare no other).
      identifiers: [
        { system: 'urn:oid:vn:national-id', value: person.nationalId },
        { system: 'http://fhir.ehealth.gov.vn/core/sid/insurance_number', value: person.insuranceNumber },
      ],
    }]);
    const byCard = await hospital.adapter.findPatients({ nationalIds: [], socialInsuranceNumbers: [person.insuranceNumber!.slice(5)], birthDates: [] });
    expect(byCard.map((p) => p.localId)).toEqual([record.localPatientId]);
  });

  it('runs the same number of SQL statements for 1, 10 and 100 patients: one per table', async () => {
    const perRequest: number[] = [];
    for (const size of [1, 10, 100]) {
      const before = hospital.adapter.stats().statements;
      const response = await postEntities(hospital, peopleHere.slice(0, size).map((person) => representationOf(person)));
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data!._entities).toHaveLength(size);
      perRequest.push(hospital.adapter.stats().statements - before);
    }
    // patients + encounters + encounter diagnoses + one per other kind the HIS has.
    const tables = 3 + CLINICAL_RESOURCE_KINDS.filter((k) => k !== 'encounters' && !ABSENT[schema].includes(k)).length;
    expect(perRequest).toEqual([tables, tables, tables]);
  });

  it('treats SQL in identifiers, names and dates as values that match nothing, and the table survives', async () => {
    const adapter = hospital.adapter;
    await expect(adapter.findPatients({ nationalIds: [HOSTILE], socialInsuranceNumbers: [HOSTILE], birthDates: [HOSTILE] })).resolves.toEqual([]);
    for (const kind of CLINICAL_RESOURCE_KINDS) await expect(adapter.loadResources(kind, [HOSTILE])).resolves.toEqual([]);

    const someone = chartsAt(population, facility.code, (r) => r.hasNationalId)[0]!;
    const stranger: SyntheticPerson = { ...someone.person, nationalId: '001099000001', records: [] };
    const hostile = { insuranceNumber: HOSTILE, name: { full: HOSTILE }, birthDate: HOSTILE };
    const response = await postEntities(hospital, [representationOf(someone.person, hostile), representationOf(stranger, hostile)]);
    expect(response.body.errors).toBeUndefined();
    const [known, unknown] = response.body.data!._entities;
    expect(known!.encounters).toHaveLength(someone.record.resources.encounters.length);
    expect(CLINICAL_RESOURCE_KINDS.every((kind) => unknown![kind].length === 0)).toBe(true);

    // As the national ID (the entity key) it is refused before any SQL runs.
    const before = adapter.stats().statements;
    const refused = await postEntities(hospital, [representationOf(someone.person, { nationalId: HOSTILE })]);
    expect(refused.body.errors?.map((e) => e.extensions?.code)).toEqual(['INVALID_IDENTIFIER']);
    expect(adapter.stats().statements).toBe(before);

    const reader = openSqlHisConnection(backend.settings, backend.pglite ? { pglite: backend.pglite } : {});
    try {
      const rows = await reader.db.selectFrom(PATIENTS_TABLE[schema]).select((eb) => eb.fn.countAll().as('n')).execute();
      expect(Number(rows[0]!.n)).toBe(peopleHere.length);
    } finally {
      await reader.close();
    }
  });

  it('counts encounters and main diagnoses in a window as the synthetic hospital does', async () => {
    const query = `{
      all: encounterCount
      year: encounterCount(from: "2025-01-01", to: "2025-12-31")
      day: encounterCount(from: "2025-03-14", to: "2025-03-14")
      top: diagnosisCounts(first: null) { code display encounters }
      yearTop: diagnosisCounts(from: "2025-01-01", to: "2025-12-31", first: null) { code display encounters }
    }`;
    const [fromSql, fromMemory] = await Promise.all([postSignedGraphQL(hospital.url, facility.code, query), postSignedGraphQL(synthetic.url, facility.code, query)]);
    expect(fromSql.body.errors).toBeUndefined();
    expect(fromSql.body.data).toEqual(fromMemory.body.data);
    expect((fromSql.body.data as { all: number }).all).toBeGreaterThan((fromSql.body.data as { year: number }).year);
  });

  it('answers population questions as the synthetic hospital does: cells, distinct patients, ICD-10 filters, windows', async () => {
    const cells = '{ key count }';
    const query = `{
      byFacility: population(measure: ENCOUNTERS, groupBy: [FACILITY, ENCOUNTER_CLASS]) ${cells}
      people: population(measure: PATIENTS, groupBy: [SEX, AGE_BAND]) ${cells}
      monthly: population(measure: ENCOUNTERS, groupBy: [MONTH], from: "2025-01-01", to: "2025-12-31") ${cells}
      chapters: population(measure: CONDITIONS, groupBy: [ICD10_CHAPTER]) ${cells}
      diabetes: population(measure: PATIENTS, groupBy: [YEAR], icd10Prefixes: ["E11", "I1"]) ${cells}
      costs: population(measure: COST, groupBy: [ICD10_CATEGORY, YEAR]) { key count totalCost insurancePaid patientCoPay }
    }`;
    const [fromSql, fromMemory] = await Promise.all([postSignedGraphQL(hospital.url, facility.code, query), postSignedGraphQL(synthetic.url, facility.code, query)]);
    expect(fromSql.body.errors).toBeUndefined();
    const sorted = (data: unknown): unknown =>
      Object.fromEntries(Object.entries(data as Record<string, { key: string }[]>).map(([field, rows]) => [field, [...rows].sort((a, b) => (a.key < b.key ? -1 : 1))]));
    expect(sorted(fromSql.body.data)).toEqual(sorted(fromMemory.body.data));
    expect((fromSql.body.data as { people: unknown[] }).people.length).toBeGreaterThan(1);
    // The HIS cost columns (T_TONGCHI …) summed in the SQL hospital equal the generated costs.
    const costs = (fromSql.body.data as { costs: { totalCost: number | null }[] }).costs;
    expect(costs.length).toBeGreaterThan(1);
    expect(costs.every((c) => typeof c.totalCost === 'number' && c.totalCost > 0)).toBe(true);
  });
});
