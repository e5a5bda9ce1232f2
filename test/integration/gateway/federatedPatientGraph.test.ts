import { startDemoNetwork, type DemoNetwork } from '../../../demo/startDemoNetwork';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import type { DemoFacility, SyntheticPerson } from '../../../demo/population/types';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL } from '../../helpers/postGraphQL';
import { startFaultProxy, type FaultProxy } from '../../helpers/startFaultProxy';
import { tokenFor } from '../../helpers/tokens';

const clinicianAt = (facilityCode: string): Promise<string> => tokenFor('clinician', { facilityCode });

const population = createDemoPopulation();
const running = population.facilities.slice(0, 3);
const runningCodes = new Set(running.map((f) => f.code));

/** A person treated at exactly two of the three running hospitals and nowhere else. */
function personAtTwoOfThree(): { person: SyntheticPerson; treatedAt: string[]; notTreatedAt: string } {
  for (const person of population.people) {
    const codes = [...new Set(person.records.map((r) => r.facilityCode))];
    if (codes.length === 2 && codes.every((c) => runningCodes.has(c)) && person.card?.resultCode === '000') {
      const notTreatedAt = running.find((f) => !codes.includes(f.code))?.code;
      if (notTreatedAt) return { person, treatedAt: codes, notTreatedAt };
    }
  }
  throw new Error('the demo population has no person at exactly two of three hospitals');
}

const ENCOUNTERS_QUERY = `query($id: ID!) { patient(nationalId: $id) {
  nationalId name { full } facilityCodes
  encounters { id period { start } source { facilityCode facilityName system } match { method confidence } }
  insuranceCard { number status }
} }`;

interface PatientAnswer {
  patient: {
    nationalId: string;
    name: { full: string };
    facilityCodes: string[];
    encounters: { id: string; period: { start: string }; source: { facilityCode: string; facilityName: string; system: string }; match: { method: string; confidence: number } }[];
    insuranceCard: { number: string; status: string } | null;
  } | null;
}

describe('gateway over the demo network (real HTTP to every subgraph)', () => {
  let network: DemoNetwork;
  const proxies = new Map<string, FaultProxy>();
  const logs = captureLogger();

  beforeAll(async () => {
    network = await startDemoNetwork({
      logger: logs.logger,
      population,
      hospitalKinds: 'synthetic',
      facilities: running,
      // Generous for a loaded CI machine; the slow-hospital test waits far longer than this.
      hospitalTimeoutMs: 3_000,
      circuitBreaker: { failureThreshold: 1000, openMs: 1 },
      hospitalEndpoint: async (facility: DemoFacility, url: string) => {
        const proxy = await startFaultProxy(url);
        proxies.set(facility.code, proxy);
        return proxy.url;
      },
    });
  });

  afterAll(async () => {
    await network.stop();
    await Promise.all([...proxies.values()].map((p) => p.stop()));
  });

  beforeEach(() => {
    for (const proxy of proxies.values()) proxy.reset();
    for (const hospital of network.hospitals) hospital.calls.resetStats();
  });

  it('merges the encounters of exactly the two hospitals that treated the patient, each with provenance, and asks the third nothing', async () => {
    const { person, treatedAt, notTreatedAt } = personAtTwoOfThree();
    const token = await clinicianAt(treatedAt[0] ?? '');
    const { status, body } = await postGraphQL<PatientAnswer>(network.gateway.url, ENCOUNTERS_QUERY, { id: person.nationalId }, token);

    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const patient = body.data?.patient;
    expect(patient?.name.full).toBe(person.name.full);
    expect([...(patient?.facilityCodes ?? [])].sort()).toEqual([...treatedAt].sort());

    const expectedIds = person.records.flatMap((r) => r.resources.encounters.map((e) => `${r.facilityCode}:${e.id}`)).sort();
    expect(patient?.encounters.map((e) => e.id).sort()).toEqual(expectedIds);
    for (const encounter of patient?.encounters ?? []) {
      const facility = running.find((f) => f.code === encounter.source.facilityCode);
      expect(encounter.source).toEqual({ facilityCode: facility?.code, facilityName: facility?.name, system: 'synthetic' });
      expect(['NATIONAL_ID', 'INSURANCE_NUMBER', 'DEMOGRAPHICS']).toContain(encounter.match.method);
    }
    const starts = patient?.encounters.map((e) => Date.parse(e.period.start)) ?? [];
    expect(starts).toEqual([...starts].sort((a, b) => b - a));

    for (const code of treatedAt) expect(proxies.get(code)?.requests).toHaveLength(1);
    expect(proxies.get(notTreatedAt)?.requests).toHaveLength(0);
    expect(patient?.insuranceCard?.number).toBe(person.insuranceNumber);
  });

  it('finds a record the hospital holds without the national ID through the insurance number', async () => {
    const person = population.people.find(
      (p) => p.card?.resultCode === '000' && p.records.some((r) => runningCodes.has(r.facilityCode) && !r.hasNationalId && r.hasInsuranceNumber),
    );
    const record = person?.records.find((r) => runningCodes.has(r.facilityCode) && !r.hasNationalId && r.hasInsuranceNumber);
    if (!person || !record) throw new Error('fixture: no record without national ID');
    const { body } = await postGraphQL<PatientAnswer>(network.gateway.url, ENCOUNTERS_QUERY, { id: person.nationalId }, await clinicianAt(record.facilityCode));
    const fromThere = body.data?.patient?.encounters.filter((e) => e.source.facilityCode === record.facilityCode) ?? [];
    expect(fromThere.length).toBe(record.resources.encounters.length);
    expect(fromThere.every((e) => e.match.method === 'INSURANCE_NUMBER' && e.match.confidence === 0.95)).toBe(true);
  });

  it('returns SOURCE_TIMEOUT for a slow hospital within its deadline and keeps the other hospital’s data', async () => {
    const { person, treatedAt } = personAtTwoOfThree();
    const [slow, healthy] = treatedAt as [string, string];
    // Slower than the test's own timeout: only the gateway's deadline lets this request answer.
    proxies.get(slow)?.setMode('slow', 60_000);
    const token = await clinicianAt(healthy);
    const { body } = await postGraphQL<PatientAnswer>(network.gateway.url, ENCOUNTERS_QUERY, { id: person.nationalId }, token);

    expect(body.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'SOURCE_TIMEOUT', facilityCode: slow }) })]);
    const sources = new Set(body.data?.patient?.encounters.map((e) => e.source.facilityCode));
    expect(sources).toEqual(new Set([healthy]));
    expect(body.data?.patient?.name.full).toBe(person.name.full);
  });

  it.each(['wrong-patient', 'wrong-count', 'garbage'] as const)('drops and reports a hospital whose answer is %s', async (mode) => {
    const { person, treatedAt } = personAtTwoOfThree();
    const [liar, honest] = treatedAt as [string, string];
    proxies.get(liar)?.setMode(mode);
    const { body } = await postGraphQL<PatientAnswer>(network.gateway.url, ENCOUNTERS_QUERY, { id: person.nationalId }, await clinicianAt(honest));

    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'SOURCE_INVALID_RESPONSE', facilityCode: liar });
    const sources = new Set(body.data?.patient?.encounters.map((e) => e.source.facilityCode));
    expect(sources).toEqual(new Set([honest]));
  });

  it('costs each hospital one request and its adapter one batch per resource type for a query over 50 patients', async () => {
    const query = `{ patients(first: 50) { edges { node { gender encounters { id } conditions { id } observations { id } } } } }`;
    const { body } = await postGraphQL<{ patients: { edges: { node: { encounters: { id: string }[] } }[] } }>(network.gateway.url, query, {}, await tokenFor('analyst'));

    expect(body.errors ?? []).toEqual(body.errors?.filter((e) => e.extensions?.code === 'SOURCE_NOT_REGISTERED') ?? []);
    expect(body.data?.patients.edges).toHaveLength(50);
    const withEncounters = body.data?.patients.edges.filter((e) => e.node.encounters.length > 0).length ?? 0;
    expect(withEncounters).toBeGreaterThan(10);
    for (const hospital of network.hospitals) {
      const requests = proxies.get(hospital.facility.code)?.requests ?? [];
      expect(requests.length).toBeLessThanOrEqual(1);
      if (requests.length === 0) continue;
      expect(requests[0]?.representations).toBeGreaterThan(1);
      const stats = hospital.calls.stats();
      expect(stats.findPatients).toBe(1);
      expect(stats.loadResources.encounters).toBe(1);
      expect(stats.loadResources.conditions).toBe(1);
      expect(stats.loadResources.observations).toBe(1);
      expect(stats.loadResources.medications).toBe(0);
    }
  });

  it('rejects a malformed national ID with INVALID_IDENTIFIER before any source is called', async () => {
    const vssBefore = network.vss.stats().cardCheck;
    const token = await clinicianAt(running[0]?.code ?? '');
    for (const bad of ['12345', '0790850000001', 'abcdefghijkl', '999085000001']) {
      const { status, body, text } = await postGraphQL(network.gateway.url, ENCOUNTERS_QUERY, { id: bad }, token);
      expect(status).toBe(400);
      expect(body.errors?.[0]?.extensions?.code).toBe('INVALID_IDENTIFIER');
      expect(body.errors?.[0]?.message).toMatch(/national ID/);
      expect(text).not.toContain(bad);
    }
    expect([...proxies.values()].every((p) => p.requests.length === 0)).toBe(true);
    expect(network.vss.stats().cardCheck).toBe(vssBefore);
  });

  it('answers malformed GraphQL, unknown fields and broken bodies with clear coded errors and no stack traces', async () => {
    const cases: [string, string, string][] = [
      ['{ patient(nationalId: "079085000001") { name { full }', 'GRAPHQL_PARSE_FAILED', 'Syntax Error'],
      ['{ patient(nationalId: "079085000001") { diagnosis } }', 'GRAPHQL_VALIDATION_FAILED', 'Cannot query field'],
      ['{ patient { name { full } } }', 'GRAPHQL_VALIDATION_FAILED', 'nationalId'],
    ];
    const token = await clinicianAt(running[0]?.code ?? '');
    for (const [query, code, message] of cases) {
      const { status, body, text } = await postGraphQL(network.gateway.url, query, {}, token);
      expect(status).toBe(400);
      expect(body.errors?.[0]?.extensions?.code).toBe(code);
      expect(body.errors?.[0]?.message).toContain(message);
      expect(text).not.toMatch(/stacktrace|at .*\.(ts|js):\d+/);
    }
    const broken = await fetch(network.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{"query": ' });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toEqual({ errors: [{ message: 'Bad request: the request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
  });

  it('adds up diagnosis counts across hospitals, releases them rounded, and asks only the facilities named', async () => {
    const expected = new Map<string, number>();
    let total = 0;
    for (const person of population.people) {
      for (const record of person.records) {
        if (!runningCodes.has(record.facilityCode)) continue;
        for (const encounter of record.resources.encounters) {
          total += 1;
          const main = encounter.diagnoses.find((d) => d.role === 'PRIMARY')?.code.code;
          if (main) expected.set(main, (expected.get(main) ?? 0) + 1);
        }
      }
    }
    const { body } = await postGraphQL<{ diagnosisCounts: { code: string; encounters: number | null; suppressed: boolean; roundedTo: number }[]; encounterCount: number }>(
      network.gateway.url,
      '{ diagnosisCounts(first: 5) { code encounters suppressed roundedTo } encounterCount }',
      {},
      await tokenFor('analyst'),
    );
    expect(body.errors).toBeUndefined();
    // Released counts are the network-wide sums rounded to the nearest 5 (the default policy).
    const nearest5 = (n: number): number => Math.floor(n / 5 + 0.5) * 5;
    expect(body.data?.encounterCount).toBe(nearest5(total));
    const rows = body.data?.diagnosisCounts ?? [];
    expect(rows).toHaveLength(5);
    for (const row of rows) {
      expect(row).toEqual({ code: row.code, encounters: nearest5(expected.get(row.code) ?? -1), suppressed: false, roundedTo: 5 });
    }
    // Largest released counts first: no code left out has a larger released count than one kept.
    const released = rows.map((r) => r.encounters ?? 0);
    expect(released).toEqual([...released].sort((a, b) => b - a));
    const kept = new Set(rows.map((r) => r.code));
    const largestLeftOut = Math.max(...[...expected.entries()].filter(([code]) => !kept.has(code)).map(([, n]) => nearest5(n)));
    expect(largestLeftOut).toBeLessThanOrEqual(Math.min(...released));

    for (const proxy of proxies.values()) proxy.reset();
    const [only] = running;
    const restricted = await postGraphQL<{ encounterCount: number }>(network.gateway.url, `{ encounterCount(facilityCodes: ["${only?.code}"]) }`, {}, await tokenFor('analyst'));
    expect(restricted.body.data?.encounterCount).toBeGreaterThan(0);
    expect([...proxies.entries()].filter(([, p]) => p.requests.length > 0).map(([code]) => code)).toEqual([only?.code]);
  });

  it('never releases a small count: one facility on one day is suppressed, with complementary cells, and the total too', async () => {
    // The busiest single day at one running facility: a window where every count is small.
    const days = new Map<string, Map<string, number>>();
    for (const person of population.people) {
      for (const record of person.records) {
        if (!runningCodes.has(record.facilityCode)) continue;
        for (const encounter of record.resources.encounters) {
          const main = encounter.diagnoses.find((d) => d.role === 'PRIMARY')?.code.code;
          if (!main || !encounter.period.start) continue;
          const key = `${record.facilityCode} ${encounter.period.start.slice(0, 10)}`;
          const codes = days.get(key) ?? new Map<string, number>();
          codes.set(main, (codes.get(main) ?? 0) + 1);
          days.set(key, codes);
        }
      }
    }
    const [window, codes] = [...days.entries()].sort((a, b) => b[1].size - a[1].size)[0] ?? [];
    if (!window || !codes) throw new Error('fixture: no encounters at the running hospitals');
    const [facility, day] = window.split(' ');
    const windowTotal = [...codes.values()].reduce((a, b) => a + b, 0);
    const { body, status } = await postGraphQL<{ diagnosisCounts: { code: string; n: number | null; suppressed: boolean; why: string | null }[]; total: number | null }>(
      network.gateway.url,
      `{ diagnosisCounts(facilityCodes: ["${facility}"], from: "${day}", to: "${day}", first: 1000) { code n: encounters suppressed why: suppressionReason }
         total: encounterCount(facilityCodes: ["${facility}"], from: "${day}", to: "${day}") }`,
      {},
      await tokenFor('analyst'),
    );
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const rows = body.data?.diagnosisCounts ?? [];
    expect(rows.map((r) => r.code).sort()).toEqual([...codes.keys()].sort());
    expect(rows.some((r) => r.suppressed)).toBe(true);
    for (const row of rows) {
      const trueCount = codes.get(row.code) ?? 0;
      if (trueCount < 10) expect(row).toEqual({ code: row.code, n: null, suppressed: true, why: 'BELOW_THRESHOLD' });
      if (row.suppressed) expect(row.n).toBeNull();
      else expect(row.n).toBeGreaterThanOrEqual(10);
    }
    // What the analyst can subtract from the total never isolates a suppressed count.
    const hiddenTrue = rows.filter((r) => r.suppressed).map((r) => codes.get(r.code) ?? 0);
    if (hiddenTrue.length > 0 && hiddenTrue.length < rows.length) {
      expect(hiddenTrue.length).toBeGreaterThanOrEqual(2);
      expect(hiddenTrue.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(10);
    }
    expect(body.data?.total).toBe(windowTotal < 10 ? null : Math.floor(windowTotal / 5 + 0.5) * 5);
  });

  it('refuses `first` outside 1..1000 without asking any hospital', async () => {
    for (const proxy of proxies.values()) proxy.reset();
    for (const first of [-5, 0, 1001]) {
      const { body } = await postGraphQL<unknown>(network.gateway.url, `{ diagnosisCounts(first: ${first}) { code } }`, {}, await tokenFor('analyst'));
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(body.errors?.[0]?.message).toContain('between 1 and 1000');
    }
    expect([...proxies.values()].every((p) => p.requests.length === 0)).toBe(true);
  });

  it('reports a facility in the record locator that is not registered instead of silently leaving it out', async () => {
    const person = population.people.find((p) => p.card?.resultCode === '000' && p.records.some((r) => !runningCodes.has(r.facilityCode)) && p.records.some((r) => r.hasNationalId && !runningCodes.has(r.facilityCode)));
    if (!person) throw new Error('fixture: nobody treated at the fourth hospital');
    const unregistered = population.facilities.find((f) => !runningCodes.has(f.code))?.code;
    const { body } = await postGraphQL<PatientAnswer>(network.gateway.url, ENCOUNTERS_QUERY, { id: person.nationalId }, await clinicianAt(unregistered ?? ''));
    expect(body.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'SOURCE_NOT_REGISTERED', facilityCode: unregistered }) })]);
    expect(body.data?.patient?.name.full).toBe(person.name.full);
  });

  it('asks the fallback hospitals for a person the record locator knows nothing about, and says so in the extensions', async () => {
    const unknown = population.people.find((p) => p.records.length === 0);
    if (!unknown) throw new Error('fixture: everybody has records');
    // The person reads their own record (a clinician would first need break-the-glass: no care relationship).
    const { body } = await postGraphQL<PatientAnswer>(network.gateway.url, ENCOUNTERS_QUERY, { id: unknown.nationalId }, await tokenFor('patient', { sub: unknown.nationalId }));
    expect(body.data?.patient?.encounters).toEqual([]);
    expect((body as { extensions?: unknown }).extensions).toEqual({ recordLocator: { fallback: true, patients: 1, sourcesAsked: 3 } });
    expect([...proxies.values()].every((p) => p.requests.length === 1)).toBe(true);
  });

  it('answers /healthz with 200 once the supergraph is loaded', async () => {
    const response = await fetch(network.gateway.url.replace('/graphql', '/healthz'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('never writes a patient name or identifier into a log line', () => {
    expect(logs.lines.length).toBeGreaterThan(0);
    const all = logs.lines.join('\n');
    for (const person of population.people.slice(0, 60)) {
      expect(all).not.toContain(person.nationalId);
      expect(all).not.toContain(person.name.full);
      if (person.insuranceNumber) expect(all).not.toContain(person.insuranceNumber);
    }
  });
});

describe('gateway with a hospital that is stopped', () => {
  let network: DemoNetwork;

  beforeAll(async () => {
    network = await startDemoNetwork({ logger: captureLogger().logger, population, hospitalKinds: 'synthetic', facilities: running, circuitBreaker: { failureThreshold: 2, openMs: 60_000 } });
  });

  afterAll(async () => {
    await network.stop();
  });

  it('keeps the other hospital’s data and adds one SOURCE_UNAVAILABLE error naming the stopped facility', async () => {
    const { person, treatedAt } = personAtTwoOfThree();
    const [stopped, alive] = treatedAt as [string, string];
    await network.hospitals.find((h) => h.facility.code === stopped)?.stop();

    const { body } = await postGraphQL<PatientAnswer>(network.gateway.url, ENCOUNTERS_QUERY, { id: person.nationalId }, await clinicianAt(alive));
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]).toMatchObject({ extensions: { code: 'SOURCE_UNAVAILABLE', facilityCode: stopped } });
    expect(body.errors?.[0]?.message).not.toMatch(/127\.0\.0\.1|http:/);
    expect(new Set(body.data?.patient?.encounters.map((e) => e.source.facilityCode))).toEqual(new Set([alive]));
    expect(body.data?.patient?.insuranceCard?.number).toBe(person.insuranceNumber);
  });

  it('stops calling a hospital after repeated failures and says so until it recovers', async () => {
    const { person, treatedAt } = personAtTwoOfThree();
    const token = await clinicianAt(treatedAt[1] ?? '');
    await postGraphQL(network.gateway.url, ENCOUNTERS_QUERY, { id: person.nationalId }, token);
    const { body } = await postGraphQL<PatientAnswer>(network.gateway.url, ENCOUNTERS_QUERY, { id: person.nationalId }, token);
    // The open circuit answers without calling the hospital (whose failure would name its cause).
    expect(body.errors?.[0]?.message).toMatch(/repeated failures/);
  });

  it('keeps the patient when VSS is down: the card and visit history are null with SOURCE_UNAVAILABLE, the rest answers', async () => {
    const person = population.people.filter((p) => p.card?.resultCode === '000').at(-1);
    if (!person) throw new Error('fixture: no insured person');
    network.vss.setFailure('http500');
    try {
      const { body } = await postGraphQL<{ patient: { name: { full: string }; insuranceCard: unknown; insuredVisits: unknown } }>(
        network.gateway.url,
        'query($id: ID!) { patient(nationalId: $id) { name { full } insuranceCard { number } insuredVisits { facilityCode } } }',
        { id: person.nationalId },
        await clinicianAt(person.records[0]?.facilityCode ?? '01901'),
      );
      expect(body.data?.patient).toEqual({ name: { full: person.name.full }, insuranceCard: null, insuredVisits: null });
      expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['SOURCE_UNAVAILABLE', 'SOURCE_UNAVAILABLE']);
    } finally {
      network.vss.setFailure('none');
    }
  });
});
