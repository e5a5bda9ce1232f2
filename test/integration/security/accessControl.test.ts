import { SignJWT } from 'jose';
import { codeInCategories } from '../../../core/consent/sensitiveCategories';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import type { SyntheticPerson } from '../../../demo/population/types';
import { startDemoNetwork, type DemoNetwork } from '../../../demo/startDemoNetwork';
import { DEVELOPMENT_AUTH } from '../../../gateway/auth/developmentAuth';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL } from '../../helpers/postGraphQL';
import { startFaultProxy, type FaultProxy } from '../../helpers/startFaultProxy';
import { tokenFor } from '../../helpers/tokens';

const population = createDemoPopulation();
const facilitiesOf = (p: SyntheticPerson): string[] => [...new Set(p.records.map((r) => r.facilityCode))];
const twoSites = population.people.filter((p) => p.card?.resultCode === '000' && facilitiesOf(p).length === 2 && p.records.every((r) => r.hasNationalId));
const [alice, bob] = twoSites;
const sensitive = population.people.find((p) => p.card?.resultCode === '000' && p.records.some((r) => r.resources.encounters.some((e) => e.diagnoses.some((d) => codeInCategories(d.code.code, ['HIV', 'MENTAL_HEALTH'])))));
const QUERY = 'query($id: ID!) { patient(nationalId: $id) { name { full } encounters { id source { facilityCode } diagnoses { code { code } } } } }';
type Answer = { patient: { name: { full: string }; encounters: { id: string; source: { facilityCode: string }; diagnoses: { code: { code: string } }[] }[] } | null };

describe('access control through the gateway (real tokens, real HTTP)', () => {
  let network: DemoNetwork;
  const proxies = new Map<string, FaultProxy>();
  const requestsTo = (code: string): number => proxies.get(code)?.requests.length ?? 0;
  const totalRequests = (): number => [...proxies.values()].reduce((n, p) => n + p.requests.length, 0);

  beforeAll(async () => {
    if (!alice || !bob || !sensitive) throw new Error('fixture: population lacks the people these tests need');
    network = await startDemoNetwork({
      logger: captureLogger().logger,
      population,
      hospitalEndpoint: async (facility, url) => {
        const proxy = await startFaultProxy(url);
        proxies.set(facility.code, proxy);
        return proxy.url;
      },
    });
  }, 120_000);

  afterAll(async () => {
    await network.stop();
    await Promise.all([...proxies.values()].map((p) => p.stop()));
  });

  beforeEach(() => {
    for (const proxy of proxies.values()) proxy.reset();
  });

  it('answers 401 without a token, with an expired token, and with a token signed by someone else; /healthz needs none', async () => {
    const none = await postGraphQL(network.gateway.url, '{ encounterCount }');
    expect(none.status).toBe(401);
    expect(none.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const expired = await new SignJWT({ role: 'analyst' }).setProtectedHeader({ alg: 'HS256' }).setSubject('a').setIssuer(DEVELOPMENT_AUTH.issuer)
      .setAudience(DEVELOPMENT_AUTH.audience).setExpirationTime(Math.floor(Date.now() / 1000) - 600).sign(new TextEncoder().encode(DEVELOPMENT_AUTH.secret));
    const late = await postGraphQL(network.gateway.url, '{ encounterCount }', {}, expired);
    expect(late.status).toBe(401);
    expect(late.body.errors?.[0]?.message).toMatch(/expired/);

    const forged = await new SignJWT({ role: 'auditor' }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuer(DEVELOPMENT_AUTH.issuer)
      .setAudience(DEVELOPMENT_AUTH.audience).setExpirationTime('5m').sign(new TextEncoder().encode('an-attacker-secret-of-at-least-32-bytes!!'));
    expect((await postGraphQL(network.gateway.url, '{ encounterCount }', {}, forged)).status).toBe(401);

    expect((await fetch(network.gateway.url.replace('/graphql', '/healthz'))).status).toBe(200);
    expect(totalRequests()).toBe(0);
  });

  it('forbids an analyst names through an alias before any source is asked', async () => {
    const { status, body } = await postGraphQL(network.gateway.url, '{ patients(first: 5) { edges { node { n: name { full } } } } }', {}, await tokenFor('analyst'));
    expect(status).toBe(403);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', fields: ['Patient.name'] });
    expect(body.data ?? null).toBeNull();
    expect(totalRequests()).toBe(0);
  });

  it('forbids a patient another patient’s record, and shows them their own', async () => {
    const token = await tokenFor('patient', { sub: alice?.nationalId ?? '' });
    const other = await postGraphQL(network.gateway.url, QUERY, { id: bob?.nationalId }, token);
    expect(other.status).toBe(403);
    const own = await postGraphQL<Answer>(network.gateway.url, QUERY, { id: alice?.nationalId }, token);
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data?.patient?.name.full).toBe(alice?.name.full);
    expect(own.body.data?.patient?.encounters.length).toBeGreaterThan(0);
  });

  it('keeps a clinician out of a patient outside their facility’s care until they break the glass, and audits the override for review', async () => {
    const outsider = population.facilities.map((f) => f.code).find((code) => !facilitiesOf(bob as SyntheticPerson).includes(code)) ?? '';
    const token = await tokenFor('clinician', { facilityCode: outsider, sub: 'bs-outsider' });

    const refused = await postGraphQL<Answer>(network.gateway.url, QUERY, { id: bob?.nationalId }, token);
    expect(refused.body.data?.patient?.encounters).toEqual([]);
    expect(refused.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(refused.body.errors?.[0]?.message).toMatch(/breakTheGlass/);
    expect(totalRequests()).toBe(0);

    // The national visit history holds diagnoses: the same rule applies to it.
    const vssBefore = network.vss.stats().cardCheck;
    const history = await postGraphQL<{ patient: { name: { full: string }; insuredVisits: unknown } }>(
      network.gateway.url,
      'query($id: ID!) { patient(nationalId: $id) { name { full } insuredVisits { facilityCode } } }',
      { id: bob?.nationalId },
      token,
    );
    expect(history.body.data?.patient).toEqual({ name: { full: bob?.name.full }, insuredVisits: null });
    expect(history.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(network.vss.stats().cardCheck).toBe(vssBefore);

    const tooShort = await postGraphQL(network.gateway.url, 'mutation($id: ID!) { breakTheGlass(nationalId: $id, reason: "x") { expiresAt } }', { id: bob?.nationalId }, token);
    expect(tooShort.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    const grant = await postGraphQL<{ breakTheGlass: { expiresAt: string } }>(
      network.gateway.url,
      'mutation($id: ID!, $reason: String!) { breakTheGlass(nationalId: $id, reason: $reason) { nationalId expiresAt } }',
      { id: bob?.nationalId, reason: 'Unconscious patient in the emergency room' },
      token,
    );
    expect(grant.body.errors).toBeUndefined();
    expect(Date.parse(grant.body.data?.breakTheGlass.expiresAt ?? '')).toBeGreaterThan(Date.now());

    const allowed = await postGraphQL<Answer>(network.gateway.url, QUERY, { id: bob?.nationalId }, token);
    expect(allowed.body.errors).toBeUndefined();
    expect(allowed.body.data?.patient?.encounters.length).toBeGreaterThan(0);

    const records = await network.audit.read({ patient: bob?.nationalId, sub: 'bs-outsider' });
    // The grant's own record (with its expiry) precedes the record of the mutation that carried it.
    expect(records.map((r) => r.outcome)).toEqual(['partial', 'partial', 'error', 'success', 'success', 'success']);
    expect(records[3]?.breakTheGlass).toEqual({ reason: 'Unconscious patient in the emergency room', expiresAt: grant.body.data?.breakTheGlass.expiresAt });
    expect(records[4]?.breakTheGlass?.reason).toBe('Unconscious patient in the emergency room');
    expect(records[3]?.flags).toContain('review');
    expect(records[4]?.flags).toContain('review');
    expect(records[5]?.flags).toContain('review');
  });

  it('does not ask a facility the patient opted out of, and says its records were withheld', async () => {
    const [kept, withheld] = facilitiesOf(alice as SyntheticPerson) as [string, string];
    const patientToken = await tokenFor('patient', { sub: alice?.nationalId ?? '' });
    const set = await postGraphQL(
      network.gateway.url,
      'mutation($id: ID!, $codes: [String!]!) { setConsent(nationalId: $id, optedOutFacilityCodes: $codes, optedOutCategories: []) { optedOutFacilityCodes } }',
      { id: alice?.nationalId, codes: [withheld] },
      patientToken,
    );
    expect(set.body.errors).toBeUndefined();

    const { body } = await postGraphQL<Answer>(network.gateway.url, QUERY, { id: alice?.nationalId }, await tokenFor('clinician', { facilityCode: kept }));
    expect(new Set(body.data?.patient?.encounters.map((e) => e.source.facilityCode))).toEqual(new Set([kept]));
    expect(body.errors).toEqual([expect.objectContaining({ path: ['patient'], extensions: expect.objectContaining({ code: 'CONSENT_DENIED', facilityCode: withheld }) })]);
    expect(requestsTo(withheld)).toBe(0);
    expect(requestsTo(kept)).toBe(1);

    const own = await postGraphQL<Answer>(network.gateway.url, QUERY, { id: alice?.nationalId }, patientToken);
    expect(new Set(own.body.data?.patient?.encounters.map((e) => e.source.facilityCode))).toEqual(new Set([kept, withheld]));

    // The national visit history names the facility and the diagnoses: the same choice applies there.
    const VISITS = 'query($id: ID!) { patient(nationalId: $id) { insuredVisits { facilityCode } } }';
    type Visits = { patient: { insuredVisits: { facilityCode: string }[] } };
    const seenByClinician = await postGraphQL<Visits>(network.gateway.url, VISITS, { id: alice?.nationalId }, await tokenFor('clinician', { facilityCode: kept }));
    const seenByPatient = await postGraphQL<Visits>(network.gateway.url, VISITS, { id: alice?.nationalId }, patientToken);
    expect(new Set(seenByPatient.body.data?.patient.insuredVisits.map((v) => v.facilityCode))).toEqual(new Set([kept, withheld]));
    expect(new Set(seenByClinician.body.data?.patient.insuredVisits.map((v) => v.facilityCode))).toEqual(new Set([kept]));
  });

  it('withholds the records of a sensitive category the patient opted out of, at every facility', async () => {
    const person = sensitive as SyntheticPerson;
    const facility = facilitiesOf(person)[0] ?? '';
    const clinician = await tokenFor('clinician', { facilityCode: facility });
    const before = await postGraphQL<Answer>(network.gateway.url, QUERY, { id: person.nationalId }, clinician);
    const isSensitive = (e: { diagnoses: { code: { code: string } }[] }): boolean => e.diagnoses.some((d) => codeInCategories(d.code.code, ['HIV', 'MENTAL_HEALTH']));
    expect(before.body.data?.patient?.encounters.some(isSensitive)).toBe(true);

    await postGraphQL(
      network.gateway.url,
      'mutation($id: ID!) { setConsent(nationalId: $id, optedOutFacilityCodes: [], optedOutCategories: [HIV, MENTAL_HEALTH]) { optedOutCategories } }',
      { id: person.nationalId },
      await tokenFor('patient', { sub: person.nationalId }),
    );
    const after = await postGraphQL<Answer>(network.gateway.url, QUERY, { id: person.nationalId }, clinician);
    expect(after.body.errors).toBeUndefined();
    expect(after.body.data?.patient?.encounters.some(isSensitive)).toBe(false);
    expect(after.body.data?.patient?.encounters.length).toBe((before.body.data?.patient?.encounters.filter((e) => !isSensitive(e)).length ?? -1));
  });

  it('writes one audit record per operation with every patient a search touched, shows patients who looked at them, and auditors everything', async () => {
    const analyst = await tokenFor('analyst', { sub: 'an-audit' });
    await postGraphQL(network.gateway.url, '{ patients(first: 7) { edges { node { gender } } } }', {}, analyst);
    const [search] = await network.audit.read({ sub: 'an-audit' });
    expect(search?.patients).toHaveLength(7);
    expect(search?.fields).toEqual(['PatientConnection.edges', 'PatientEdge.node', 'Patient.gender', 'Query.patients'].sort());
    expect(JSON.stringify(search)).not.toContain(population.people[0]?.name.full ?? '###');

    const clinician = await tokenFor('clinician', { facilityCode: facilitiesOf(bob as SyntheticPerson)[0] ?? '', sub: 'bs-looker' });
    await postGraphQL(network.gateway.url, QUERY, { id: bob?.nationalId }, clinician);
    const log = await postGraphQL<{ patient: { accessLog: { who: string; role: string; purposeOfUse: string }[] } }>(
      network.gateway.url,
      'query($id: ID!) { patient(nationalId: $id) { accessLog(first: 5) { who role purposeOfUse fields } } }',
      { id: bob?.nationalId },
      await tokenFor('patient', { sub: bob?.nationalId ?? '' }),
    );
    expect(log.body.errors).toBeUndefined();
    expect(log.body.data?.patient.accessLog[0]).toMatchObject({ who: 'bs-looker', role: 'clinician', purposeOfUse: 'treatment' });

    const events = await postGraphQL<{ auditEvents: { seq: number; sub: string; fhirAuditEvent: string }[] }>(
      network.gateway.url,
      '{ auditEvents(first: 3) { seq sub hash prevHash fhirAuditEvent } }',
      {},
      await tokenFor('auditor'),
    );
    expect(events.body.errors).toBeUndefined();
    expect(events.body.data?.auditEvents).toHaveLength(3);
    expect(JSON.parse(events.body.data?.auditEvents[0]?.fhirAuditEvent ?? '{}')).toMatchObject({ resourceType: 'AuditEvent' });
    await expect(network.audit.verify()).resolves.toMatchObject({ kind: 'intact' });
  });
});
