import { createClinicalSubgraph } from '../../../adapters/sdk/createClinicalSubgraph';
import { CountingAdapter } from '../../../adapters/sdk/CountingAdapter';
import type { Principal } from '../../../core/security/Principal';
import { generateSigningSecret } from '../../../core/security/generateSigningSecret';
import type { SignedPrincipal } from '../../../core/security/requestSignature';
import { SyntheticAdapter } from '../../../demo/hospitals/SyntheticAdapter';
import { createDemoPopulation, DEMO_FACILITIES } from '../../../demo/population/generatePopulation';
import type { SyntheticPerson } from '../../../demo/population/types';
import { fetchFromSource } from '../../../gateway/network/fetchFromSource';
import { SourceClients } from '../../../gateway/network/SourceClients';
import type { RegisteredSource } from '../../../gateway/sources/RegisteredSource';
import { serveSubgraph, type RunningSubgraph } from '../../../subgraphs/serveSubgraph';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL } from '../../helpers/postGraphQL';
import { postRequest, signedPost, signGraphQLRequest } from '../../helpers/signedPost';

/**
 * A hospital's clinical subgraph with request signing (docs/architecture.md §6), called directly over real
 * HTTP: only requests signed by its gateway, for this facility, fresh and not replayed, reach the
 * adapter; the principal's facts in the signed part reach the subgraph's context.
 */
const population = createDemoPopulation();
const facility = DEMO_FACILITIES[0] as (typeof DEMO_FACILITIES)[number];
const OTHER_FACILITY = (DEMO_FACILITIES[1] as (typeof DEMO_FACILITIES)[number]).code;
const SECRET = generateSigningSecret();

const ENTITIES = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Patient { nationalId encounters { id } } }
}`;

const CLINICIAN: Principal = {
  sub: 'bs-0042',
  role: 'clinician',
  facilityCode: facility.code,
  scopes: ['clinical:read'],
  purposeOfUse: 'treatment',
  tokenId: 'jti-0042',
};

function patientTreatedHere(): SyntheticPerson {
  const person = population.people.find((p) => p.records.some((r) => r.facilityCode === facility.code && r.hasNationalId && r.resources.encounters.length > 0));
  if (!person) throw new Error('the demo population has no patient at this facility');
  return person;
}

const person = patientTreatedHere();
const variables = { representations: [{ __typename: 'Patient', nationalId: person.nationalId, facilityCodes: [facility.code] }] };

describe('serveSubgraph with request signing (clinical subgraph over real HTTP)', () => {
  const logs = captureLogger();
  const contexts: (SignedPrincipal | null)[] = [];
  let calls: CountingAdapter;
  let subgraph: RunningSubgraph;

  beforeAll(async () => {
    calls = new CountingAdapter(new SyntheticAdapter(population, facility.code));
    const clinical = createClinicalSubgraph({ facility, adapter: calls, logger: logs.logger });
    subgraph = await serveSubgraph({
      name: `clinical-${facility.code}`,
      schema: clinical.schema,
      context: async ({ principal }) => {
        contexts.push(principal);
        return clinical.createContext();
      },
      logger: logs.logger,
      signing: { secret: SECRET, target: facility.code },
    });
  });

  afterAll(async () => {
    await subgraph.stop();
  });

  beforeEach(() => {
    calls.resetStats();
    contexts.length = 0;
    logs.lines.length = 0;
  });

  const adapterCalls = (): number => {
    const stats = calls.stats();
    return stats.findPatients + stats.diagnosisCounts + stats.encounterCount + Object.values(stats.loadResources).reduce((a, b) => a + b, 0);
  };

  it('refuses a request without a signature with 401 UNAUTHENTICATED, before any adapter call', async () => {
    const { status, body } = await postGraphQL(subgraph.url, ENTITIES, variables);
    expect(status).toBe(401);
    expect(body).toEqual({ errors: [{ message: expect.stringMatching(/^Missing request signature/), extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(adapterCalls()).toBe(0);
    expect(contexts).toHaveLength(0);
  });

  it('names the signature scheme in WWW-Authenticate on a 401', async () => {
    const response = await postRequest(subgraph.url, { body: '{}', headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^PG-HMAC-SHA256/);
  });

  it.each([
    ['another secret', { secret: generateSigningSecret(), target: facility.code }],
    ['another facility', { secret: SECRET, target: OTHER_FACILITY }],
  ])('refuses a request signed with %s as an invalid signature', async (_what, signing) => {
    const { status, body } = await signedPost(subgraph.url, ENTITIES, variables, signing);
    expect(status).toBe(401);
    expect(body.errors).toEqual([{ message: 'Invalid request signature.', extensions: { code: 'UNAUTHENTICATED' } }]);
    expect(adapterCalls()).toBe(0);
  });

  it('refuses a signed request whose body was changed on the way', async () => {
    const signed = signGraphQLRequest(ENTITIES, variables, { secret: SECRET, target: facility.code });
    const { status } = await postRequest(subgraph.url, { ...signed, body: signed.body.replace(person.nationalId, '001099000001') });
    expect(status).toBe(401);
    expect(adapterCalls()).toBe(0);
  });

  it('answers a correctly signed request with the data', async () => {
    const { status, body } = await signedPost(subgraph.url, ENTITIES, variables, { secret: SECRET, target: facility.code });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const [patient] = (body.data?._entities ?? []) as { nationalId: string; encounters: unknown[] }[];
    expect(patient?.nationalId).toBe(person.nationalId);
    expect(patient?.encounters.length).toBeGreaterThan(0);
    expect(calls.stats().findPatients).toBe(1);
  });

  it('refuses the same signed request sent a second time (replay)', async () => {
    const signed = signGraphQLRequest(ENTITIES, variables, { secret: SECRET, target: facility.code });
    const first = await postRequest(subgraph.url, signed);
    const second = await postRequest(subgraph.url, signed);
    expect(first.status).toBe(200);
    expect(second.status).toBe(401);
    expect(second.body.errors).toEqual([{ message: expect.stringMatching(/^Replayed request signature/), extensions: { code: 'UNAUTHENTICATED' } }]);
    expect(calls.stats().findPatients).toBe(1);
  });

  it('refuses a correctly signed request whose timestamp is 10 minutes old', async () => {
    const { status, body } = await signedPost(subgraph.url, ENTITIES, variables, { secret: SECRET, target: facility.code, timestampMs: Date.now() - 10 * 60_000 });
    expect(status).toBe(401);
    expect(body.errors?.[0]?.message).toMatch(/^Stale request signature/);
    expect(adapterCalls()).toBe(0);
  });

  it('refuses a signed GET: the signature does not cover the query in the URL', async () => {
    const signed = signGraphQLRequest('{ encounterCount }', {}, { secret: SECRET, target: facility.code });
    const url = `${subgraph.url}?query=${encodeURIComponent('{ encounterCount }')}`;
    const response = await fetch(url, { method: 'GET', headers: { ...signed.headers, 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(401);
    expect(adapterCalls()).toBe(0);
  });

  it('hands the signed principal facts, and nothing more, to the context factory', async () => {
    const { status } = await signedPost(subgraph.url, ENTITIES, variables, { secret: SECRET, target: facility.code, principal: CLINICIAN });
    expect(status).toBe(200);
    expect(contexts).toEqual([{ sub: 'bs-0042', role: 'clinician', facilityCode: facility.code, purposeOfUse: 'treatment' }]);
  });

  it('hands a null principal to the context factory for a signed request without one', async () => {
    await signedPost(subgraph.url, ENTITIES, variables, { secret: SECRET, target: facility.code });
    expect(contexts).toEqual([null]);
  });

  it('logs the precise reason of a refusal, never the secret or the request', async () => {
    await signedPost(subgraph.url, ENTITIES, variables, { secret: SECRET, target: OTHER_FACILITY });
    const refusals = logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === 'subgraph.request_refused');
    expect(refusals).toEqual([expect.objectContaining({ level: 'warn', reason: 'wrong-target' })]);
    const everything = logs.lines.join('\n');
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain(person.nationalId);
  });

  it('answers /healthz without a signature', async () => {
    const response = await fetch(new URL('/healthz', subgraph.url));
    expect(response.status).toBe(200);
  });
});

describe('fetchFromSource against a signed subgraph', () => {
  const contexts: (SignedPrincipal | null)[] = [];
  let calls: CountingAdapter;
  let subgraph: RunningSubgraph;
  const clients = new SourceClients();
  const sourceWith = (secret: string): RegisteredSource => ({ code: facility.code, name: facility.name, contract: 'clinical', url: subgraph.url, timeoutMs: 5_000, secret });

  beforeAll(async () => {
    calls = new CountingAdapter(new SyntheticAdapter(population, facility.code));
    const clinical = createClinicalSubgraph({ facility, adapter: calls, logger: captureLogger().logger });
    subgraph = await serveSubgraph({
      name: `clinical-${facility.code}`,
      schema: clinical.schema,
      context: async ({ principal }) => {
        contexts.push(principal);
        return clinical.createContext();
      },
      logger: captureLogger().logger,
      signing: { secret: SECRET, target: facility.code },
    });
  });

  afterAll(async () => {
    await clients.close();
    await subgraph.stop();
  });

  beforeEach(() => {
    calls.resetStats();
    contexts.length = 0;
  });

  it('signs each request for the source with its secret and code, principal included', async () => {
    const answer = await fetchFromSource(sourceWith(SECRET), { query: ENTITIES, variables, principal: CLINICIAN }, clients);
    expect(answer.kind).toBe('answered');
    const again = await fetchFromSource(sourceWith(SECRET), { query: ENTITIES, variables, principal: null }, clients);
    expect(again.kind).toBe('answered'); // a fresh nonce each time: not taken for a replay
    expect(contexts).toEqual([{ sub: 'bs-0042', role: 'clinician', facilityCode: facility.code, purposeOfUse: 'treatment' }, null]);
  });

  it('keeps the signature headers even when the caller passes headers of the same name', async () => {
    const answer = await fetchFromSource(sourceWith(SECRET), { query: ENTITIES, variables, headers: { 'x-pg-signature': 'v1=forged', 'X-PG-Target': OTHER_FACILITY } }, clients);
    expect(answer.kind).toBe('answered');
  });

  it('reports a source that refuses the signature as SOURCE_UNAVAILABLE (the client is not at fault), with the reason as cause', async () => {
    const answer = await fetchFromSource(sourceWith(generateSigningSecret()), { query: ENTITIES, variables }, clients);
    expect(answer).toMatchObject({ kind: 'failed', error: { code: 'SOURCE_UNAVAILABLE', details: { facilityCode: facility.code } } });
    if (answer.kind !== 'failed') throw new Error('expected a failure');
    expect(answer.error.message).toBe(`${facility.name} refused the gateway's request signature`);
    expect(String((answer.error.cause as Error).message)).toContain('Invalid request signature');
    expect(calls.stats().findPatients).toBe(0);
  });

  it('does not call a source whose secret is too short, and says why', async () => {
    const answer = await fetchFromSource(sourceWith('short'), { query: ENTITIES, variables }, clients);
    expect(answer).toMatchObject({ kind: 'failed', error: { code: 'SOURCE_UNAVAILABLE' } });
    if (answer.kind !== 'failed') throw new Error('expected a failure');
    expect(answer.error.message).toMatch(/no valid request-signing secret/);
    expect(contexts).toHaveLength(0);
  });
});
