import { createLogger } from '../../../core/logging/logger';
import { toVietnamDate } from '../../../core/time/vietnamTime';
import { startDemoHospital, type SyntheticDemoHospital as DemoHospital } from '../../../demo/hospitals/startDemoHospital';
import { createDemoPopulation, DEMO_FACILITIES } from '../../../demo/population/generatePopulation';
import type { FacilityRecord, SyntheticPerson } from '../../../demo/population/types';
import { patientRepresentation } from '../../../demo/patientRepresentation';
import { postSignedGraphQL, testSigning } from '../../helpers/signedPost';

/**
 * A demo hospital's clinical subgraph over real HTTP, asked what the gateway asks it: federation
 * `_entities` with the representations the query planner builds from the identity subgraph.
 */
const population = createDemoPopulation();
const facility = DEMO_FACILITIES[0] as (typeof DEMO_FACILITIES)[number];
const OTHER_FACILITY = (DEMO_FACILITIES[1] as (typeof DEMO_FACILITIES)[number]).code;

interface GraphQLBody {
  readonly data?: Record<string, unknown> | null;
  readonly errors?: readonly { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[];
}

const ENTITIES = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Patient {
      nationalId
      encounters { id period { start } source { facilityCode facilityName system } match { method confidence } }
      conditions { id encounterId match { method } }
      observations { id }
    }
  }
}`;


function chartsHere(predicate: (record: FacilityRecord) => boolean): { person: SyntheticPerson; record: FacilityRecord }[] {
  return population.people.flatMap((person) =>
    person.records.filter((r) => r.facilityCode === facility.code && predicate(r)).map((record) => ({ person, record })));
}

function firstChart(predicate: (record: FacilityRecord) => boolean): { person: SyntheticPerson; record: FacilityRecord } {
  // People with one chart here, so the expected records are exactly this chart's.
  const found = chartsHere(predicate).find(({ person }) => person.records.filter((r) => r.facilityCode === facility.code).length === 1);
  if (!found) throw new Error('the demo population has no such chart at this facility');
  return found;
}

type Item = Record<string, unknown> & { id: string };

describe('clinical subgraph of a demo hospital', () => {
  let hospital: DemoHospital;
  const logLines: string[] = [];

  beforeAll(async () => {
    hospital = await startDemoHospital({
      facility,
      population,
      logger: createLogger({ level: 'debug', write: (line) => logLines.push(line) }),
      port: 0,
      signing: testSigning(facility.code),
    });
  });

  afterAll(async () => {
    await hospital.stop();
  });

  beforeEach(() => {
    hospital.adapter.setFault(null);
    hospital.adapter.resetStats();
    logLines.length = 0;
  });

  async function post(query: string, variables: Record<string, unknown> = {}): Promise<{ status: number; body: GraphQLBody; text: string }> {
    const { status, body, text } = await postSignedGraphQL(hospital.url, hospital.facility.code, query, variables);
    return { status, body: body, text };
  }

  async function entities(people: readonly SyntheticPerson[]): Promise<Record<string, Item[]>[]> {
    const { body } = await post(ENTITIES, { representations: people.map(patientRepresentation) });
    expect(body.errors).toBeUndefined();
    return (body.data?._entities ?? []) as Record<string, Item[]>[];
  }

  it('binds to 127.0.0.1 on a free port', () => {
    expect(hospital.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('returns a chart matched by national ID with facility-prefixed ids, provenance and match', async () => {
    const { person, record } = firstChart((r) => r.hasNationalId && r.resources.conditions.length > 0);
    const [patient] = await entities([person]);

    const expectedIds = record.resources.encounters.map((e) => `${facility.code}:${e.id}`);
    expect(patient?.encounters?.map((e) => e.id).sort()).toEqual([...expectedIds].sort());
    for (const encounter of patient?.encounters ?? []) {
      expect(encounter.source).toEqual({ facilityCode: facility.code, facilityName: facility.name, system: 'synthetic' });
      expect(encounter.match).toEqual({ method: 'NATIONAL_ID', confidence: 1 });
    }
    const conditions = patient?.conditions ?? [];
    expect(conditions).toHaveLength(record.resources.conditions.length);
    for (const condition of conditions) {
      expect(condition.id.startsWith(`${facility.code}:`)).toBe(true);
      expect(expectedIds).toContain(condition.encounterId);
    }
  });

  it('lists encounters newest first', async () => {
    const { person } = firstChart((r) => r.hasNationalId && r.resources.encounters.length > 1);
    const [patient] = await entities([person]);
    const starts = (patient?.encounters ?? []).map((e) => Date.parse((e.period as { start: string }).start));
    expect(starts.length).toBeGreaterThan(1);
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
  });

  it('finds a chart registered without the national ID by the insurance number', async () => {
    const { person, record } = firstChart((r) => !r.hasNationalId && r.hasInsuranceNumber);
    const [patient] = await entities([person]);
    expect(patient?.encounters?.map((e) => e.id).sort()).toEqual(record.resources.encounters.map((e) => `${facility.code}:${e.id}`).sort());
    expect(patient?.encounters?.[0]?.match).toEqual({ method: 'INSURANCE_NUMBER', confidence: 0.95 });
  });

  it('finds a chart with neither number by demographics, whatever way the name is written', async () => {
    const { person, record } = firstChart((r) => !r.hasNationalId && !r.hasInsuranceNumber);
    const plainName = person.name.full.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'D').toUpperCase();
    const representation = { ...patientRepresentation(person), name: { full: plainName.split(' ').reverse().join('  ') } };
    const { body } = await post(ENTITIES, { representations: [representation] });
    const [patient] = (body.data?._entities ?? []) as Record<string, Item[]>[];
    expect(patient?.encounters).toHaveLength(record.resources.encounters.length);
    expect(patient?.encounters?.[0]?.match).toEqual({ method: 'DEMOGRAPHICS', confidence: 0.8 });
  });

  it('answers empty lists for a person the hospital does not know', async () => {
    const stranger: SyntheticPerson = {
      ...(population.people[0] as SyntheticPerson),
      nationalId: '001299999999',
      insuranceNumber: null,
      name: { full: 'Người Lạ Không Tên', family: 'Người', given: ['Lạ', 'Không', 'Tên'] },
      birthDate: '1901-01-01',
    };
    const [patient] = await entities([stranger]);
    expect(patient).toEqual({ nationalId: '001299999999', encounters: [], conditions: [], observations: [] });
  });

  it('costs one findPatients and one loadResources per kind for 50 patients in one _entities request', async () => {
    const people = [...new Set(chartsHere(() => true).map(({ person }) => person))].slice(0, 50);
    expect(people).toHaveLength(50);
    const answer = await entities(people);

    expect(answer).toHaveLength(50);
    expect(answer.map((p) => p.nationalId)).toEqual(people.map((p) => p.nationalId));
    const totalEncounters = people.flatMap((p) => p.records.filter((r) => r.facilityCode === facility.code))
      .reduce((sum, r) => sum + r.resources.encounters.length, 0);
    expect(answer.reduce((sum, p) => sum + (p.encounters?.length ?? 0), 0)).toBe(totalEncounters);
    expect(hospital.adapter.stats()).toEqual({
      findPatients: 1,
      loadResources: { encounters: 1, conditions: 1, observations: 1, medications: 0, procedures: 0, allergies: 0 },
      diagnosisCounts: 0,
      encounterCount: 0,
    });
  });

  describe('root analytics fields', () => {
    const from = '2025-01-01';
    const to = '2025-12-31';
    const inWindow = chartsHere(() => true)
      .flatMap(({ record }) => record.resources.encounters)
      .filter((e) => e.period.start !== null && toVietnamDate(new Date(e.period.start)) >= from && toVietnamDate(new Date(e.period.start)) <= to);

    it('counts the encounters that start in the window', async () => {
      const { body } = await post(`{ encounterCount(from: "${from}", to: "${to}") all: encounterCount }`);
      expect(body.errors).toBeUndefined();
      expect(body.data?.encounterCount).toBe(inWindow.length);
      expect(body.data?.all).toBe(chartsHere(() => true).reduce((n, { record }) => n + record.resources.encounters.length, 0));
    });

    it('counts encounters per main diagnosis, largest first, truncated by first', async () => {
      const { body } = await post(`query($first: Int) {
        top: diagnosisCounts(from: "${from}", to: "${to}", first: 3) { code display encounters }
        every: diagnosisCounts(from: "${from}", to: "${to}", first: $first) { code encounters }
      }`, { first: null });
      expect(body.errors).toBeUndefined();
      const every = body.data?.every as { code: string; encounters: number }[];
      const expected = new Map<string, number>();
      for (const e of inWindow) {
        const primary = e.diagnoses.find((d) => d.role === 'PRIMARY');
        if (primary) expected.set(primary.code.code, (expected.get(primary.code.code) ?? 0) + 1);
      }
      expect(new Map(every.map((r) => [r.code, r.encounters]))).toEqual(expected);
      const ranked = [...every].sort((a, b) => b.encounters - a.encounters || a.code.localeCompare(b.code));
      expect(every).toEqual(ranked);
      const top = body.data?.top as { code: string; display: string | null; encounters: number }[];
      expect(top.map((r) => r.code)).toEqual(ranked.slice(0, 3).map((r) => r.code));
      expect(top[0]?.display).toEqual(expect.any(String));
    });

    it('answers nothing when the facilities asked for do not include this one', async () => {
      const { body } = await post(`{
        diagnosisCounts(facilityCodes: ["${OTHER_FACILITY}"]) { code }
        encounterCount(facilityCodes: ["${OTHER_FACILITY}"])
        clinicalSources(facilityCodes: ["${OTHER_FACILITY}"]) { facilityCode }
        mine: clinicalSources(facilityCodes: ["${facility.code}"]) { facilityCode facilityName system }
      }`);
      expect(body.errors).toBeUndefined();
      expect(body.data).toEqual({
        diagnosisCounts: [],
        encounterCount: 0,
        clinicalSources: [],
        mine: [{ facilityCode: facility.code, facilityName: facility.name, system: 'synthetic' }],
      });
      expect(hospital.adapter.stats().diagnosisCounts + hospital.adapter.stats().encounterCount).toBe(0);
    });
  });

  describe('errors', () => {
    it.each([0, 1001, -5])('rejects first: %d with BAD_USER_INPUT and no stack trace', async (first) => {
      const { body, text } = await post('query($first: Int) { diagnosisCounts(first: $first) { code } }', { first });
      expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(body.errors?.[0]?.message).toBe('`first` must be between 1 and 1000');
      expect(text).not.toMatch(/stacktrace|\n\s+at /i);
      expect(hospital.adapter.stats().diagnosisCounts).toBe(0);
    });

    it.each([
      ['a literal', '{ encounterCount(from: "2025-02-30") }', {}],
      ['a variable', 'query($d: Date) { encounterCount(to: $d) }', { d: '01/02/2025' }],
    ])('rejects a malformed date given as %s with BAD_USER_INPUT', async (_how, query, variables) => {
      const { body, text } = await post(query, variables);
      expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(text).not.toMatch(/stacktrace/i);
    });

    it('rejects a malformed facility code with INVALID_IDENTIFIER', async () => {
      const { body } = await post('{ encounterCount(facilityCodes: ["1"]) }');
      expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['INVALID_IDENTIFIER']);
    });

    it('rejects a representation without a well-formed national ID alone, without echoing it', async () => {
      const { person } = firstChart((r) => r.hasNationalId);
      const representations = [{ __typename: 'Patient', nationalId: '12345' }, patientRepresentation(person)];
      const { body, text } = await post(ENTITIES, { representations });
      expect(body.errors).toEqual([
        { message: expect.any(String), path: ['_entities', 0], extensions: { code: 'INVALID_IDENTIFIER' } },
      ]);
      const answer = body.data?._entities as (Record<string, unknown> | null)[];
      expect(answer[0]).toBeNull();
      expect(answer[1]).toMatchObject({ nationalId: person.nationalId });
      expect(text).not.toContain('12345');
    });

    it('reports a failing source as SOURCE_UNAVAILABLE with the facility, logging the cause without patient data', async () => {
      const { person } = firstChart((r) => r.hasNationalId);
      hospital.adapter.setFault({ kind: 'fail', message: 'connect ECONNREFUSED 10.1.2.3:5432' });
      const { body, text } = await post(ENTITIES, { representations: [patientRepresentation(person)] });

      expect(body.errors?.length).toBeGreaterThan(0);
      for (const error of body.errors ?? []) {
        expect(error).toMatchObject({ message: 'the synthetic source failed', extensions: { code: 'SOURCE_UNAVAILABLE', facilityCode: facility.code } });
      }
      expect(text).not.toContain('ECONNREFUSED');
      expect(text).not.toMatch(/stacktrace/i);
      const failures = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === 'clinical.source_failed');
      expect(failures).toHaveLength(1); // one failed source call, logged once, not once per field
      expect(failures[0]).toMatchObject({ facilityCode: facility.code, operation: 'findPatients', message: 'connect ECONNREFUSED 10.1.2.3:5432' });
      const everything = logLines.join('\n');
      for (const secret of [person.nationalId, person.name.full, person.insuranceNumber ?? person.nationalId]) {
        expect(everything).not.toContain(secret);
      }
    });
  });
});
