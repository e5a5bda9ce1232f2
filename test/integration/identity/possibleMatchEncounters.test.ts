import { genderCenturyDigit } from '../../../core/identifiers/nationalId';
import { matchRecords } from '../../../core/matching/matchRecords';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import type { FacilityRecord, Population, SyntheticPerson } from '../../../demo/population/types';
import { startDemoNetwork, type DemoNetwork } from '../../../demo/startDemoNetwork';
import { toFhirAuditEvent } from '../../../gateway/audit/toFhirAuditEvent';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL } from '../../helpers/postGraphQL';
import { tokenFor } from '../../helpers/tokens';

type Item = { id: string; source: { facilityCode: string }; match: { method: string; decision: string; confidence: number; agreed: string[] } };
type Answer = { patient: { encounters: Item[] } };
const ENCOUNTERS = `query($id: ID!, $possible: Boolean) { patient(nationalId: $id) {
  encounters(includePossibleMatches: $possible) { id source { facilityCode } match { method decision confidence agreed } } } }`;
const DEFAULT_ENCOUNTERS = 'query($id: ID!) { patient(nationalId: $id) { encounters { id source { facilityCode } match { method decision confidence agreed } } } }';
const REVIEWS = '{ matchReviews(first: 100) { facilityCode localId decision patient { nationalId } } }';

const sex = (person: SyntheticPerson): 'male' | 'female' => (person.gender === 'FEMALE' ? 'female' : 'male');

/**
 * The demo population plus one synthetic record that is only possibly `person`'s: at a facility
 * that never treated them, a chart with the same name and birth date but the other gender, typed
 * without national ID or card — in truth another person's (their namesake, who is in the index).
 */
function withPossibleMatch(base: Population): { population: Population; person: SyntheticPerson; careFacility: string; otherFacility: string } {
  for (const person of base.people) {
    const own = new Set(person.records.map((r) => r.facilityCode));
    const careFacility = person.records[0]?.facilityCode;
    const other = base.facilities.find((f) => !own.has(f.code) && base.people.some((p) => p.records.some((r) => r.facilityCode === f.code && r.resources.encounters.length > 0)));
    if (careFacility === undefined || other === undefined || person.gender === 'OTHER' || person.gender === 'UNKNOWN') continue;
    const namesakeSex = sex(person) === 'male' ? 'female' : 'male';
    const decision = matchRecords({ fullName: person.name.full, birthDate: person.birthDate, gender: sex(person) }, { fullName: person.name.full, birthDate: person.birthDate, gender: namesakeSex });
    if (decision.decision !== 'POSSIBLE_MATCH') continue;
    const donor = base.people.flatMap((p) => p.records).find((r) => r.facilityCode === other.code && r.resources.encounters.length > 0)!;
    const record: FacilityRecord = {
      facilityCode: other.code,
      localPatientId: 'POSSIBLE-1',
      hasNationalId: false,
      hasInsuranceNumber: false,
      resources: { ...emptyResources(donor), encounters: [{ ...donor.resources.encounters[0]!, id: 'POSSIBLE-ENC-1' }] },
    };
    const year = Number(person.birthDate.slice(0, 4));
    const namesake: SyntheticPerson = {
      ...person,
      nationalId: `${person.nationalId.slice(0, 3)}${genderCenturyDigit(year, namesakeSex)}${person.nationalId.slice(4, 6)}987654`,
      gender: namesakeSex === 'male' ? 'MALE' : 'FEMALE',
      insuranceNumber: null,
      card: null,
      records: [record],
    };
    return { population: { ...base, people: [...base.people, namesake] }, person, careFacility, otherFacility: other.code };
  }
  throw new Error('the demo population has no person for a possible match');
}

function emptyResources(record: FacilityRecord): FacilityRecord['resources'] {
  return Object.fromEntries(Object.keys(record.resources).map((kind) => [kind, []])) as unknown as FacilityRecord['resources'];
}

describe('encounters(includePossibleMatches:) through the gateway', () => {
  const { population, person, careFacility, otherFacility } = withPossibleMatch(createDemoPopulation(30));
  let network: DemoNetwork;
  let clinician: string;

  beforeAll(async () => {
    network = await startDemoNetwork({
      logger: captureLogger().logger,
      population,
      hospitalKinds: 'synthetic',
      facilities: population.facilities.filter((f) => f.code === careFacility || f.code === otherFacility),
      patientIndex: { kind: 'pglite', dataDir: null },
    });
    clinician = await tokenFor('clinician', { facilityCode: careFacility, sub: 'dr-possible' });
  }, 180_000);

  afterAll(async () => {
    await network?.stop();
  }, 60_000);

  it('has the namesake’s record waiting for review as a possible match of the person', async () => {
    const registrar = await tokenFor('registrar', { facilityCode: careFacility });
    const reviews = await postGraphQL<{ matchReviews: { facilityCode: string; localId: string; decision: string; patient: { nationalId: string } }[] }>(network.gateway.url, REVIEWS, {}, registrar);
    expect(reviews.body.errors).toBeUndefined();
    expect(reviews.body.data?.matchReviews).toContainEqual({ facilityCode: otherFacility, localId: 'POSSIBLE-1', decision: 'POSSIBLE_MATCH', patient: { nationalId: person.nationalId } });
  });

  it('never includes possible matches by default, nor asks their facility', async () => {
    for (const [query, variables] of [[DEFAULT_ENCOUNTERS, { id: person.nationalId }], [ENCOUNTERS, { id: person.nationalId, possible: false }]] as const) {
      const { body } = await postGraphQL<Answer>(network.gateway.url, query, variables, clinician);
      expect(body.errors).toBeUndefined();
      const items = body.data?.patient.encounters ?? [];
      expect(items.length).toBeGreaterThan(0);
      expect(items.every((e) => e.match.decision === 'MATCH')).toBe(true);
      expect(items.map((e) => e.source.facilityCode)).not.toContain(otherFacility);
    }
    const records = await network.audit.read({ sub: 'dr-possible' });
    expect(records.length).toBeGreaterThanOrEqual(2);
    for (const record of records) {
      expect(record.sources).not.toContain(otherFacility);
      expect(record.flags).not.toContain('possible-matches');
    }
  });

  it('gives a clinician in care the possible match, marked POSSIBLE_MATCH, and audits it as such', async () => {
    const { body } = await postGraphQL<Answer>(network.gateway.url, ENCOUNTERS, { id: person.nationalId, possible: true }, clinician);
    expect(body.errors).toBeUndefined();
    const items = body.data?.patient.encounters ?? [];
    const possible = items.filter((e) => e.source.facilityCode === otherFacility);
    expect(possible).toEqual([{
      id: `${otherFacility}:POSSIBLE-ENC-1`,
      source: { facilityCode: otherFacility },
      match: { method: 'DEMOGRAPHICS', decision: 'POSSIBLE_MATCH', confidence: expect.any(Number), agreed: expect.arrayContaining(['fullName', 'birthDate']) },
    }]);
    expect(possible[0]!.match.confidence).toBeLessThan(1);
    expect(items.filter((e) => e.source.facilityCode !== otherFacility).every((e) => e.match.decision === 'MATCH')).toBe(true);

    const [record] = (await network.audit.read({ sub: 'dr-possible' })).slice(-1);
    expect(record?.flags).toContain('possible-matches');
    expect(record?.sources).toContain(otherFacility);
    expect(record?.fields).toContain('Patient.encounters');
    const event = toFhirAuditEvent(record!);
    const details = event.entity?.flatMap((e) => e.detail ?? []) ?? [];
    expect(details).toContainEqual({ type: 'possibleMatches', valueString: 'true' });
  });

  it('refuses includePossibleMatches to every other role before any hospital is asked, leaving no trace in the sources', async () => {
    const callers = [
      await tokenFor('registrar', { facilityCode: careFacility, sub: 'reg-possible' }),
      await tokenFor('analyst', { sub: 'an-possible' }),
      await tokenFor('patient', { sub: person.nationalId }),
      await tokenFor('auditor', { sub: 'aud-possible' }),
    ];
    for (const token of callers) {
      const { status, body } = await postGraphQL<Answer>(network.gateway.url, ENCOUNTERS, { id: person.nationalId, possible: true }, token);
      expect([status, body.errors?.[0]?.extensions?.code]).toEqual([403, 'FORBIDDEN']);
      expect(body.errors?.[0]?.extensions?.fields).toContain('Patient.encounters(includePossibleMatches:)');
    }
    for (const sub of ['reg-possible', 'an-possible', person.nationalId, 'aud-possible']) {
      for (const record of await network.audit.read({ sub })) {
        expect(record.outcome).toBe('denied');
        expect(record.sources.filter((s) => s !== 'identity')).toEqual([]);
      }
    }
  });

  it('refuses it to a clinician of another facility (outside the care relationship)', async () => {
    const outsider = await tokenFor('clinician', { facilityCode: otherFacility, sub: 'dr-outside' });
    const { status, body } = await postGraphQL<Answer>(network.gateway.url, ENCOUNTERS, { id: person.nationalId, possible: true }, outsider);
    expect([status, body.errors?.[0]?.extensions?.code]).toEqual([403, 'FORBIDDEN']);
    expect(body.errors?.[0]?.extensions?.fields).toContain('Patient.encounters(includePossibleMatches:)');
  });
});
