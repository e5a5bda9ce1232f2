import { randomBytes } from 'node:crypto';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import type { SyntheticPerson } from '../../../demo/population/types';
import { startDemoNetwork, type DemoNetwork } from '../../../demo/startDemoNetwork';
import { openSqlPatientIndex } from '../../../subgraphs/identity/openSqlPatientIndex';
import type { SqlPatientIndex } from '../../../subgraphs/identity/SqlPatientIndex';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL } from '../../helpers/postGraphQL';
import { tokenFor } from '../../helpers/tokens';
import { runAsPostgresAdmin } from '../../helpers/postgresAdmin';

const OTHER_FACILITY = '79999';

const admin = runAsPostgresAdmin;

function bare(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
}

type Review = { id: string; facilityCode: string; localId: string; decision: string; status: string; decidedBy: string; patient: { nationalId: string } };
const REVIEWS = '{ matchReviews(first: 50) { id facilityCode localId decision status decidedBy patient { nationalId } } }';
const RESOLVE = 'mutation($id: ID!, $accept: Boolean!) { resolveMatch(linkId: $id, accept: $accept) { id status decidedBy patient { nationalId } } }';
const SEARCH = 'query($name: String!, $birthDate: String!) { searchPatients(name: $name, birthDate: $birthDate) { decision confidence agreed patient { nationalId name { full } } } }';
const FACILITIES = 'query($id: ID!) { patient(nationalId: $id) { facilityCodes } }';

describe('match review and patient search over the persistent index, through the gateway', () => {
  const population = createDemoPopulation(30);
  const name = `pg_identity_review_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = `postgres://postgres@127.0.0.1:5432/${name}`;
  let network: DemoNetwork;
  let index: SqlPatientIndex;
  let reviewed: SyntheticPerson;
  let clinicianFacility: string;

  beforeAll(async () => {
    await admin(`CREATE DATABASE ${name}`);
    network = await startDemoNetwork({
      logger: captureLogger().logger,
      population,
      hospitalKinds: 'synthetic',
      facilities: population.facilities.slice(0, 1),
      patientIndex: { kind: 'postgres', url },
    });
    index = await openSqlPatientIndex({ kind: 'postgres', url });
    clinicianFacility = population.facilities[0]!.code;
    reviewed = population.people.find((p) => !p.records.some((r) => r.facilityCode === OTHER_FACILITY))!;
    // A record of an old visit at another facility: name, birth year, gender — a possible match only.
    await index.register([{
      facilityCode: OTHER_FACILITY,
      localId: 'OLD-1',
      record: { fullName: reviewed.name.full, birthDate: reviewed.birthDate.slice(0, 4), gender: reviewed.gender === 'FEMALE' ? 'female' : 'male' },
    }], 'load:test');
  }, 180_000);

  afterAll(async () => {
    await index?.close();
    await network?.stop();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }, 60_000);

  it('lists the possible match for a registrar, and keeps it out of the record locator meanwhile', async () => {
    const registrar = await tokenFor('registrar', { facilityCode: '01901' });
    const reviews = await postGraphQL<{ matchReviews: Review[] }>(network.gateway.url, REVIEWS, {}, registrar);
    expect(reviews.body.errors).toBeUndefined();
    expect(reviews.body.data?.matchReviews).toContainEqual(expect.objectContaining({
      facilityCode: OTHER_FACILITY, localId: 'OLD-1', decision: 'POSSIBLE_MATCH', status: 'AUTOMATIC', patient: { nationalId: reviewed.nationalId },
    }));
    const located = await postGraphQL<{ patient: { facilityCodes: string[] } }>(network.gateway.url, FACILITIES, { id: reviewed.nationalId }, registrar);
    expect(located.body.data?.patient.facilityCodes).not.toContain(OTHER_FACILITY);
  });

  it('refuses review to other roles before any source is asked', async () => {
    const analyst = await tokenFor('analyst');
    const clinician = await tokenFor('clinician', { facilityCode: clinicianFacility });
    const listed = await postGraphQL(network.gateway.url, REVIEWS, {}, analyst);
    expect(listed.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const resolved = await postGraphQL(network.gateway.url, RESOLVE, { id: '1', accept: true }, clinician);
    expect(resolved.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('lets a registrar confirm it: the link routes, is audited with the registrar, and survives re-matching', async () => {
    const registrar = await tokenFor('registrar', { facilityCode: '01901', sub: 'reg-7' });
    const reviews = await postGraphQL<{ matchReviews: Review[] }>(network.gateway.url, REVIEWS, {}, registrar);
    const review = reviews.body.data?.matchReviews.find((r) => r.localId === 'OLD-1');
    const resolved = await postGraphQL<{ resolveMatch: Review }>(network.gateway.url, RESOLVE, { id: review?.id, accept: true }, registrar);
    expect(resolved.body.errors).toBeUndefined();
    expect(resolved.body.data?.resolveMatch).toMatchObject({ status: 'CONFIRMED', decidedBy: 'registrar:reg-7', patient: { nationalId: reviewed.nationalId } });
    await index.register([{ facilityCode: OTHER_FACILITY, localId: 'OLD-1', record: { fullName: reviewed.name.full, birthDate: reviewed.birthDate.slice(0, 4), gender: 'unknown' } }], 'load:again');
    const located = await postGraphQL<{ patient: { facilityCodes: string[] } }>(network.gateway.url, FACILITIES, { id: reviewed.nationalId }, registrar);
    expect(located.body.data?.patient.facilityCodes).toContain(OTHER_FACILITY);
    const events = await index.linkEvents(reviewed.nationalId);
    expect(events.filter((e) => e.facilityCode === OTHER_FACILITY).map((e) => [e.action, e.actor])).toEqual([['link', 'load:test'], ['confirm', 'registrar:reg-7']]);
    const after = await postGraphQL<{ matchReviews: Review[] }>(network.gateway.url, REVIEWS, {}, registrar);
    expect(after.body.data?.matchReviews.map((r) => r.localId)).not.toContain('OLD-1');
  });

  it('answers an unknown review id with MATCH_REVIEW_NOT_FOUND', async () => {
    const registrar = await tokenFor('registrar', { facilityCode: '01901' });
    const resolved = await postGraphQL(network.gateway.url, RESOLVE, { id: '999999', accept: false }, registrar);
    expect(resolved.body.errors?.[0]?.extensions?.code).toBe('MATCH_REVIEW_NOT_FOUND');
  });

  it('ranks search candidates for a registrar, whatever the diacritics', async () => {
    const registrar = await tokenFor('registrar', { facilityCode: '01901' });
    const person = population.people[3]!;
    const found = await postGraphQL<{ searchPatients: { decision: string; confidence: number; patient: { nationalId: string } }[] }>(
      network.gateway.url, SEARCH, { name: bare(person.name.full).toUpperCase(), birthDate: person.birthDate }, registrar);
    expect(found.body.errors).toBeUndefined();
    expect(found.body.data?.searchPatients[0]).toMatchObject({ decision: 'MATCH', patient: { nationalId: person.nationalId } });
  });

  it('lets a clinician find only people in their facility’s care', async () => {
    const registrar = await tokenFor('registrar', { facilityCode: '01901' });
    const clinician = await tokenFor('clinician', { facilityCode: clinicianFacility });
    const byCare = new Map<boolean, SyntheticPerson>();
    for (const person of population.people) {
      const located = await postGraphQL<{ patient: { facilityCodes: string[] } }>(network.gateway.url, FACILITIES, { id: person.nationalId }, registrar);
      const inCare = located.body.data?.patient.facilityCodes.includes(clinicianFacility) ?? false;
      if (!byCare.has(inCare)) byCare.set(inCare, person);
      if (byCare.size === 2) break;
    }
    const search = (person: SyntheticPerson) => postGraphQL<{ searchPatients: { patient: { nationalId: string } }[] }>(
      network.gateway.url, SEARCH, { name: person.name.full, birthDate: person.birthDate }, clinician);
    const inCare = await search(byCare.get(true)!);
    expect(inCare.body.data?.searchPatients.map((c) => c.patient.nationalId)).toContain(byCare.get(true)!.nationalId);
    const outside = await search(byCare.get(false)!);
    expect(outside.body.errors).toBeUndefined();
    expect(outside.body.data?.searchPatients.map((c) => c.patient.nationalId)).not.toContain(byCare.get(false)!.nationalId);
  });

  it('answers a birth date that is not YYYY-MM-DD or YYYY with BAD_USER_INPUT', async () => {
    const registrar = await tokenFor('registrar', { facilityCode: '01901' });
    const bad = await postGraphQL(network.gateway.url, SEARCH, { name: 'Nguyễn Văn An', birthDate: '12/03/1985' }, registrar);
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('search and review over the in-memory index (an export or the demo default)', () => {
  let network: DemoNetwork;

  beforeAll(async () => {
    const population = createDemoPopulation(10);
    network = await startDemoNetwork({ logger: captureLogger().logger, population, hospitalKinds: 'synthetic', facilities: population.facilities.slice(0, 1) });
  }, 120_000);

  afterAll(async () => {
    await network?.stop();
  });

  it('answers PATIENT_INDEX_READ_ONLY: there are no links to search or review', async () => {
    const registrar = await tokenFor('registrar', { facilityCode: '01901' });
    const reviews = await postGraphQL(network.gateway.url, REVIEWS, {}, registrar);
    expect(reviews.body.errors?.[0]?.extensions?.code).toBe('PATIENT_INDEX_READ_ONLY');
    const search = await postGraphQL(network.gateway.url, SEARCH, { name: 'Nguyễn Văn An', birthDate: '1990' }, registrar);
    expect(search.body.errors?.[0]?.extensions?.code).toBe('PATIENT_INDEX_READ_ONLY');
  });
});
