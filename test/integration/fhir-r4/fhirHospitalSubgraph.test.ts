import { startDemoHospital, type SyntheticDemoHospital } from '../../../demo/hospitals/startDemoHospital';
import { silentLogger } from '../../../core/logging/logger';
import { startFhirDemoHospital, type FhirDemoHospital } from '../../../demo/hospitals/startFhirDemoHospital';
import { DEMO_FACILITIES, DEMO_SEED, generatePopulation } from '../../../demo/population/generatePopulation';
import type { FacilityRecord, SyntheticPerson } from '../../../demo/population/types';
import { patientRepresentation } from '../../../demo/patientRepresentation';
import { postSignedGraphQL, testSigning } from '../../helpers/signedPost';

/**
 * A hospital whose records live in a FHIR server (Medplum), served as a clinical subgraph and asked
 * what the gateway asks: federation `_entities` over real HTTP. The number of FHIR searches per
 * request does not grow with the number of patients in it.
 */
const ANALYTICS_KEY = Buffer.alloc(32, 9);
const population = generatePopulation({ seed: DEMO_SEED, size: 500, facilities: DEMO_FACILITIES });
const facility = DEMO_FACILITIES[0] as (typeof DEMO_FACILITIES)[number];
const charts = population.people.flatMap((person) => person.records.filter((r) => r.facilityCode === facility.code).map((record) => ({ person, record })));

const ENTITIES = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Patient {
      nationalId
      encounters { id class period { start end } diagnoses { code { system code } role rank } source { system } match { method confidence } }
      conditions { id code { system code } recordedDate encounterId }
      observations { id code { system code } valueQuantity { value unit code } effectiveDateTime }
      medications { id medication { code } quantity { value unit } authoredOn }
      procedures { id code { code } performedDateTime }
      allergies { id code { code } category recordedDate }
    }
  }
}`;

interface Entity {
  readonly nationalId: string;
  readonly [field: string]: unknown;
}
type Item = { readonly id: string; readonly [key: string]: unknown };


describe('clinical subgraph of a FHIR hospital (Medplum)', () => {
  let hospital: FhirDemoHospital;
  /** The same charts in memory: population questions must get the same cells from both. */
  let synthetic: SyntheticDemoHospital;

  beforeAll(async () => {
    hospital = await startFhirDemoHospital({ facility, population, logger: silentLogger, signing: testSigning(facility.code), analyticsKey: ANALYTICS_KEY });
    synthetic = await startDemoHospital({ facility, population, logger: silentLogger, signing: testSigning(facility.code), analyticsKey: ANALYTICS_KEY });
  }, 120_000);

  afterAll(async () => {
    await hospital.stop();
    await synthetic.stop();
  });

  beforeEach(() => {
    hospital.adapter.resetStats();
    hospital.calls.resetStats();
  });

  async function entities(representations: readonly Record<string, unknown>[]): Promise<Entity[]> {
    const response = await postSignedGraphQL(hospital.url, facility.code, ENTITIES, { representations });
    const body = response.body as { data?: { _entities?: Entity[] }; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    return body.data?._entities ?? [];
  }

  function first(predicate: (record: FacilityRecord) => boolean): { person: SyntheticPerson; record: FacilityRecord } {
    const found = charts.find(({ record }) => predicate(record));
    if (!found) throw new Error('the population has no such chart at this facility');
    return found;
  }

  const ids = (items: unknown): string[] => (items as Item[]).map((item) => item.id).sort();
  const globalIds = (items: readonly { id: string }[]): string[] => items.map((item) => `${facility.code}:${item.id}`).sort();

  it('costs the same number of FHIR searches for 1, 10 and 100 patients in one _entities request', async () => {
    const costs: { patients: number; searches: number; adapterCalls: string }[] = [];
    for (const size of [1, 10, 100]) {
      hospital.adapter.resetStats();
      hospital.calls.resetStats();
      const batch = charts.slice(0, size);
      const answer = await entities(batch.map(({ person }) => patientRepresentation(person)));
      expect(answer).toHaveLength(size);
      answer.forEach((entity, i) => {
        const record = batch[i]?.record as FacilityRecord;
        expect(ids(entity.encounters)).toEqual(globalIds(record.resources.encounters));
        expect(ids(entity.observations)).toEqual(globalIds(record.resources.observations));
      });
      costs.push({ patients: size, searches: hospital.adapter.stats().searches, adapterCalls: JSON.stringify(hospital.calls.stats()) });
    }
    // One Patient identifier search, one birth-date batch, one search per kind; the Conditions that
    // encounters' diagnoses need are the conditions list's own search, joined while under way.
    expect(costs.map((c) => c.searches)).toEqual([8, 8, 8]);
    expect(new Set(costs.map((c) => c.adapterCalls)).size).toBe(1);
    expect(JSON.parse(costs[0]?.adapterCalls ?? '{}')).toMatchObject({
      findPatients: 1,
      loadResources: { encounters: 1, conditions: 1, observations: 1, medications: 1, procedures: 1, allergies: 1 },
    });
  });

  it('answers a patient matched by national ID with ICD-10 and LOINC codes, +07:00 times and units', async () => {
    const { person, record } = first((r) => r.hasNationalId && r.resources.observations.length > 0);
    const [patient] = await entities([patientRepresentation(person)]);
    const encounters = patient?.encounters as Item[];
    expect(encounters[0]).toMatchObject({ source: { system: 'fhir-r4' }, match: { method: 'NATIONAL_ID', confidence: 1 } });
    expect((encounters[0]?.diagnoses as Item[] | undefined)?.[0]).toMatchObject({ role: 'PRIMARY', rank: 1, code: { system: 'http://hl7.org/fhir/sid/icd-10' } });
    const observation = (patient?.observations as Item[])[0] as Record<string, unknown>;
    const generated = record.resources.observations.find((o) => `${facility.code}:${o.id}` === observation.id);
    expect(observation).toEqual({
      id: `${facility.code}:${generated?.id}`,
      code: { system: 'http://loinc.org', code: generated?.code.code },
      valueQuantity: generated?.valueQuantity,
      effectiveDateTime: generated?.effectiveDateTime,
    });
    expect(observation.effectiveDateTime).toMatch(/\+07:00$/);
  });

  it('answers a chart registered without the national ID, matched by insurance number', async () => {
    const { person, record } = first((r) => !r.hasNationalId && r.hasInsuranceNumber);
    const [patient] = await entities([patientRepresentation(person)]);
    expect(ids(patient?.encounters)).toEqual(globalIds(record.resources.encounters));
    expect((patient?.encounters as Item[])[0]?.match).toEqual({ method: 'INSURANCE_NUMBER', confidence: 0.95 });
  });

  it('answers a chart with neither number, matched by demographics through the birth-date batch', async () => {
    const { person, record } = first((r) => !r.hasNationalId && !r.hasInsuranceNumber);
    const [patient] = await entities([patientRepresentation(person)]);
    expect(ids(patient?.encounters)).toEqual(globalIds(record.resources.encounters));
    expect((patient?.encounters as Item[])[0]?.match).toEqual({ method: 'DEMOGRAPHICS', confidence: 0.8 });
  });

  it('answers empty lists, without error, for match keys full of search syntax', async () => {
    const { person } = first((r) => r.hasNationalId);
    const hostile = {
      ...patientRepresentation(person),
      nationalId: '001299999999',
      insuranceNumber: "'; DROP TABLE benh_nhan; --",
      name: { full: "Robert'); DROP TABLE benh_nhan;--" },
      birthDate: '1990-01-01,1985-01-01',
    };
    const [patient] = await entities([hostile]);
    expect(patient).toMatchObject({ nationalId: '001299999999', encounters: [], conditions: [], allergies: [] });
    expect(hospital.adapter.stats().searches).toBeGreaterThan(0); // the FHIR server was asked, and found nothing
  });

  it('answers the analytics root fields from the FHIR server', async () => {
    const response = await postSignedGraphQL(hospital.url, facility.code, '{ encounterCount diagnosisCounts(first: 3) { code encounters } }');
    const body = response.body as { data?: { encounterCount: number; diagnosisCounts: { encounters: number }[] } };
    const encounters = charts.reduce((n, { record }) => n + record.resources.encounters.length, 0);
    expect(body.data?.encounterCount).toBe(encounters);
    expect(body.data?.diagnosisCounts).toHaveLength(3);
  });

  it('answers population questions as the same charts in memory do: encounters, distinct patients, conditions, windows', async () => {
    // One question at a time: Medplum's in-memory repository scans every resource per search.
    const questions = [
      'population(measure: PATIENTS, groupBy: [AGE_BAND, SEX], from: "2025-01-01", to: "2025-06-30")',
      'population(measure: CONDITIONS, groupBy: [QUARTER, ICD10_CHAPTER], from: "2024-07-01", to: "2025-06-30", icd10Prefixes: ["E", "I", "J"])',
    ];
    const byKey = (rows: readonly { key: string }[]): { key: string }[] => [...rows].sort((a, b) => (a.key < b.key ? -1 : 1));
    for (const question of questions) {
      const query = `{ cells: ${question} { key count } }`;
      const fromFhir = await postSignedGraphQL(hospital.url, facility.code, query);
      const fromMemory = await postSignedGraphQL(synthetic.url, facility.code, query);
      expect((fromFhir.body as { errors?: unknown }).errors).toBeUndefined();
      const cells = (fromFhir.body as { data?: { cells: { key: string }[] } }).data?.cells ?? [];
      expect(cells.length).toBeGreaterThan(1);
      expect(byKey(cells)).toEqual(byKey((fromMemory.body as { data?: { cells: { key: string }[] } }).data?.cells ?? []));
    }
  }, 180_000);

  it('reads its FHIR server with credentials the server requires: an unauthenticated read is refused', async () => {
    const response = await fetch(`${hospital.fhir.baseUrl}/Patient?_count=1`);
    expect(response.status).toBe(401);
  });
});
