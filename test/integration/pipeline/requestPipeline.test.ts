import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import { startDemoNetwork, type DemoNetwork } from '../../../demo/startDemoNetwork';
import { DEFAULT_OPERATION_LIMITS } from '../../../gateway/limits/OperationLimits';
import { InMemoryRateLimiter } from '../../../gateway/limits/InMemoryRateLimiter';
import { rateLimitsByRole } from '../../../gateway/limits/rateLimitsByRole';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL } from '../../helpers/postGraphQL';
import { startFaultProxy, type FaultProxy } from '../../helpers/startFaultProxy';
import { tokenFor } from '../../helpers/tokens';

const population = createDemoPopulation();
const person = population.people.find((p) => p.records.length > 0 && p.card?.resultCode === '000' && p.records.every((r) => r.hasNationalId));
const facility = person?.records[0]?.facilityCode ?? '';
const TOO_LONG = `{ encounterCount ${' '.repeat(DEFAULT_OPERATION_LIMITS.maxDocumentBytes)}}`;
const LOOK_UP = 'query($id: ID!) { patient(nationalId: $id) { name { full } encounters { id } } }';

describe('the ordered request pipeline through the real gateway', () => {
  let network: DemoNetwork;
  const proxies: FaultProxy[] = [];
  const sourceCalls = (): number => proxies.reduce((n, p) => n + p.requests.length, 0);
  let analyst: string;

  beforeAll(async () => {
    if (!person) throw new Error('fixture: the population lacks a person these tests need');
    network = await startDemoNetwork({
      logger: captureLogger().logger,
      population,
      hospitalKinds: 'synthetic',
      hospitalEndpoint: async (_facility, url) => {
        const proxy = await startFaultProxy(url);
        proxies.push(proxy);
        return proxy.url;
      },
      operationLimits: { maxDepth: 5 },
      rateLimits: {
        limiter: new InMemoryRateLimiter(),
        // The clinician's bucket barely refills, so the test decides when it is empty.
        limitFor: rateLimitsByRole({ analyst: { capacity: 1_000, refillPerSecond: 10 }, clinician: { capacity: 2, refillPerSecond: 0.001 } }),
      },
    });
    analyst = await tokenFor('analyst', { sub: 'an-pipeline' });
  }, 120_000);

  afterAll(async () => {
    await network?.stop();
    await Promise.all(proxies.map((p) => p.stop()));
  });

  describe('document limits, before any source is asked', () => {
    const cases: [string, string, string, number, number][] = [
      ['depth', '{ patients(first: 1) { edges { node { encounters { diagnoses { rank } } } } } }', 'depth', 5, 6],
      ['aliases', `{ ${Array.from({ length: 16 }, (_, i) => `c${i}: encounterCount`).join(' ')} }`, 'aliases', 15, 16],
      ['root fields', `{ ${Array.from({ length: 11 }, (_, i) => `c${i}: encounterCount`).join(' ')} }`, 'rootFields', 10, 11],
      // 3 aliases × (1 + 100 × (edge 1 + node 1 + encounters 20 × 1))
      ['cost', `{ ${['a', 'b', 'c'].map((a) => `${a}: patients(first: 100) { edges { node { encounters { id } } } }`).join(' ')} }`, 'cost', 5_000, 3 * (1 + 100 * (2 + 20))],
      ['text size', TOO_LONG, 'documentBytes', DEFAULT_OPERATION_LIMITS.maxDocumentBytes, Buffer.byteLength(TOO_LONG)],
    ];

    it.each(cases)('refuses an operation over the %s limit with 400 and says which limit', async (_name, query, limit, max, actual) => {
      const before = sourceCalls();
      const { status, body } = await postGraphQL(network.gateway.url, query, {}, analyst);
      expect(status).toBe(400);
      expect(body.data).toBeUndefined();
      expect(body.errors?.[0]?.extensions).toEqual({ code: 'OPERATION_LIMIT_EXCEEDED', limit, max, actual });
      expect(sourceCalls()).toBe(before);
    });
  });

  describe('order: the first refusal wins and no later step runs', () => {
    it('checks the limits before the field policy (a forbidden field inside an alias bomb is a limit refusal)', async () => {
      const bomb = `{ ${Array.from({ length: 16 }, (_, i) => `p${i}: patients(first: 1) { edges { node { name { full } } } }`).join(' ')} }`;
      const { status, body } = await postGraphQL(network.gateway.url, bomb, {}, analyst);
      expect(status).toBe(400);
      expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['OPERATION_LIMIT_EXCEEDED']);
    });

    it('checks identifiers, then scalars, then the field policy', async () => {
      const badIdAndDate = await postGraphQL(network.gateway.url, '{ patient(nationalId: "123") { gender } encounterCount(from: "2025-13-45") }', {}, analyst);
      expect(badIdAndDate.body.errors?.map((e) => e.extensions?.code)).toEqual(['INVALID_IDENTIFIER']);
      const forbiddenAndBadDate = await postGraphQL(network.gateway.url, '{ patients(first: 1) { edges { node { name { full } } } } encounterCount(from: "2025-13-45") }', {}, analyst);
      expect(forbiddenAndBadDate.status).toBe(400);
      expect(forbiddenAndBadDate.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      const forbidden = await postGraphQL(network.gateway.url, '{ patients(first: 1) { edges { node { name { full } } } } encounterCount(from: "2025-01-01") }', {}, analyst);
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    });

    it('audits each refusal after the rate limit as its own record, with its code, no patient data and no source', async () => {
      const records = await network.audit.read({ sub: 'an-pipeline' });
      const codes = new Set(records.flatMap((r) => r.errorCodes));
      expect([...codes].sort()).toEqual(['BAD_USER_INPUT', 'FORBIDDEN', 'INVALID_IDENTIFIER', 'OPERATION_LIMIT_EXCEEDED']);
      for (const record of records) {
        expect(record.sources).toEqual([]);
        expect(['error', 'denied']).toContain(record.outcome);
      }
    });

    it('computes the facts once per document text: the same operation with other variables is judged on its own values', async () => {
      const query = 'query($from: Date) { encounterCount(from: $from) }';
      expect((await postGraphQL(network.gateway.url, query, { from: '2025-01-01' }, analyst)).status).toBe(200);
      const bad = await postGraphQL(network.gateway.url, query, { from: '2025-02-30' }, analyst);
      expect(bad.status).toBe(400);
      expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', variable: 'from' });
      expect((await postGraphQL(network.gateway.url, query, { from: '2025-03-01' }, analyst)).status).toBe(200);
    });
  });

  describe('rate limiting (last: it stops the gateway to read the aggregated record)', () => {
    it('refuses over the allowance with 429 before any other step, writes no record per refused request, and one aggregated record per principal', async () => {
      const clinician = await tokenFor('clinician', { facilityCode: facility, sub: 'bs-flood' });
      const before = sourceCalls();
      const answers = [];
      for (let i = 0; i < 2; i++) answers.push(await postGraphQL(network.gateway.url, LOOK_UP, { id: person?.nationalId }, clinician));
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      const callsOfTwo = sourceCalls() - before;
      expect(callsOfTwo).toBeGreaterThan(0);

      const refused = [];
      for (let i = 0; i < 10; i++) refused.push(await postGraphQL(network.gateway.url, LOOK_UP, { id: person?.nationalId }, clinician));
      // After the allowance, whatever else is wrong with the request, the limiter answers first:
      // an invalid identifier, an alias bomb, a text over the size limit.
      refused.push(await postGraphQL(network.gateway.url, LOOK_UP, { id: '123' }, clinician));
      refused.push(await postGraphQL(network.gateway.url, `{ ${Array.from({ length: 16 }, (_, i) => `c${i}: encounterCount`).join(' ')} }`, {}, clinician));
      refused.push(await postGraphQL(network.gateway.url, TOO_LONG, {}, clinician));
      expect(refused.map((r) => r.status)).toEqual(Array.from({ length: 13 }, () => 429));
      expect(refused.every((r) => r.body.errors?.[0]?.extensions?.code === 'RATE_LIMITED')).toBe(true);
      expect(sourceCalls() - before).toBe(callsOfTwo);

      // A request that never resolves to an operation is not charged and not audited (it touches nothing).
      const syntaxError = await postGraphQL(network.gateway.url, '{ patient(', {}, clinician);
      expect(syntaxError.status).toBe(400);
      expect(syntaxError.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');

      // No audit record per refused request.
      const whileRunning = await network.audit.read({ sub: 'bs-flood' });
      expect(whileRunning.map((r) => r.outcome)).toEqual(['success', 'success']);

      // The window's one record is written at the latest when the gateway stops.
      await network.gateway.stop();
      const records = await network.audit.read({ sub: 'bs-flood' });
      expect(records).toHaveLength(3);
      expect(records[2]).toMatchObject({ outcome: 'denied', errorCodes: ['RATE_LIMITED'], patients: [], sources: [], fields: [], refusals: { count: 13 } });
      await expect(network.audit.verify()).resolves.toMatchObject({ kind: 'intact' });
    });
  });
});
