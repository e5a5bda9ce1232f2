import { createHash } from 'node:crypto';
import { ERROR_CODES, isErrorCode } from '../../../core/errors/errorCodes';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import { startDemoNetwork, type DemoNetwork } from '../../../demo/startDemoNetwork';
import { InMemoryRateLimiter } from '../../../gateway/limits/InMemoryRateLimiter';
import { rateLimitsByRole } from '../../../gateway/limits/rateLimitsByRole';
import { captureLogger } from '../../helpers/captureLogger';
import { startFaultProxy, type FaultProxy } from '../../helpers/startFaultProxy';
import { tokenFor } from '../../helpers/tokens';

const population = createDemoPopulation();
const person = population.people.find((p) => p.records.length > 0 && p.card?.resultCode === '000');

interface BadRequest {
  readonly name: string;
  readonly role?: 'analyst' | 'clinician' | 'auditor' | 'registrar';
  readonly method?: 'GET' | 'POST' | 'PUT';
  /** JSON body (serialized here) or raw text. */
  readonly body?: unknown;
  readonly raw?: string;
  readonly contentType?: string;
  readonly search?: string;
  readonly status: number;
  readonly code: string;
  /** Leave out the header Apollo Server's CSRF prevention asks of GET requests. */
  readonly noPreflight?: boolean;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Every way a caller can get a request wrong, with the answer it must get. */
const CATALOGUE: readonly BadRequest[] = [
  { name: 'malformed JSON', raw: '{"query": "{ encounterCount }"', status: 400, code: 'BAD_REQUEST' },
  { name: 'a body that is not JSON (text/plain)', raw: '{ encounterCount }', contentType: 'text/plain', status: 400, code: 'BAD_REQUEST' },
  { name: 'a JSON array (batching is off)', body: [{ query: '{ encounterCount }' }], status: 400, code: 'BAD_REQUEST' },
  { name: 'no query at all', body: { variables: {} }, status: 400, code: 'BAD_REQUEST' },
  { name: 'a query that is not a string', body: { query: 42 }, status: 400, code: 'BAD_REQUEST' },
  { name: 'variables that are not an object', body: { query: '{ encounterCount }', variables: 'x' }, status: 400, code: 'BAD_REQUEST' },
  { name: 'an operationName that is not a string', body: { query: '{ encounterCount }', operationName: 7 }, status: 400, code: 'BAD_REQUEST' },
  { name: 'a mutation over GET', method: 'GET', search: `?query=${encodeURIComponent('mutation { breakTheGlass(nationalId: "079085000001", reason: "checking things out") { expiresAt } }')}`, status: 405, code: 'BAD_REQUEST' },
  { name: 'GET with variables that are not JSON', method: 'GET', search: `?query=${encodeURIComponent('{ encounterCount }')}&variables=%7Bnope`, status: 400, code: 'BAD_REQUEST' },
  { name: 'a syntax error', body: { query: '{ encounterCount ' }, status: 400, code: 'GRAPHQL_PARSE_FAILED' },
  { name: 'an unknown field', body: { query: '{ noSuchField }' }, status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: "an alias with the gateway's internal prefix", body: { query: '{ diagnosisCounts { _pgCount: encounters } }' }, status: 400, code: 'BAD_USER_INPUT' },
  { name: 'an undefined variable', body: { query: '{ encounterCount(from: $from) }' }, status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'a variable of the wrong type', body: { query: 'query($n: Int) { patients(first: $n) { totalCount } }', variables: { n: 'ten' } }, status: 400, code: 'BAD_USER_INPUT' },
  { name: 'null for a required variable', body: { query: 'query($id: ID!) { patient(nationalId: $id) { gender } }', variables: { id: null } }, role: 'clinician', status: 400, code: 'BAD_USER_INPUT' },
  { name: 'two operations without operationName', body: { query: 'query A { encounterCount } query B { encounterCount }' }, status: 400, code: 'BAD_REQUEST' },
  { name: 'an operationName the document does not hold', body: { query: 'query A { encounterCount }', operationName: 'B' }, status: 400, code: 'BAD_REQUEST' },
  { name: 'a subscription', body: { query: 'subscription { encounterCount }' }, status: 400, code: 'BAD_REQUEST' },
  { name: 'an APQ hash that does not match the text', body: { query: '{ encounterCount }', extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ somethingElse }') } } }, status: 400, code: 'PERSISTED_QUERY_HASH_MISMATCH' },
  { name: 'an APQ of an unknown version', body: { query: '{ encounterCount }', extensions: { persistedQuery: { version: 2, sha256Hash: sha256('{ encounterCount }') } } }, status: 400, code: 'BAD_REQUEST' },
  { name: 'an APQ hash that is not a SHA-256', body: { extensions: { persistedQuery: { version: 1, sha256Hash: 'not-a-hash' } } }, status: 400, code: 'BAD_REQUEST' },
  { name: 'a malformed national ID', role: 'clinician', body: { query: '{ patient(nationalId: "12345") { gender } }' }, status: 400, code: 'INVALID_IDENTIFIER' },
  { name: 'an impossible Date literal', body: { query: '{ encounterCount(from: "2025-13-45") }' }, status: 400, code: 'BAD_USER_INPUT' },
  { name: 'a Date literal that is a number', body: { query: '{ encounterCount(from: 20250101) }' }, status: 400, code: 'BAD_USER_INPUT' },
  { name: 'an impossible Date variable', body: { query: 'query($d: Date) { diagnosisCounts(from: $d) { code } }', variables: { d: '2024-02-30' } }, status: 400, code: 'BAD_USER_INPUT' },
  { name: 'a DateTime without an offset', role: 'auditor', body: { query: '{ auditEvents(first: 1, from: "2025-01-01T10:00:00") { seq } }' }, status: 400, code: 'BAD_USER_INPUT' },
  { name: 'a cursor this connection never issued', role: 'registrar', body: { query: '{ patients(first: 2, after: "bm90LWEtY3Vyc29yLWF0LWFsbC1yZWFsbHk") { totalCount } }' }, status: 400, code: 'BAD_USER_INPUT' },
  { name: 'an alias bomb', body: { query: `{ ${Array.from({ length: 16 }, (_, i) => `c${i}: encounterCount`).join(' ')} }` }, status: 400, code: 'OPERATION_LIMIT_EXCEEDED' },
  { name: 'a document over 16 KiB', body: { query: `{ encounterCount ${' '.repeat(17 * 1024)}}` }, status: 400, code: 'OPERATION_LIMIT_EXCEEDED' },
  { name: 'GET without a CSRF-safe header', method: 'GET', search: `?query=${encodeURIComponent('{ encounterCount }')}`, status: 400, code: 'BAD_REQUEST', noPreflight: true },
  { name: 'GET without a query', method: 'GET', search: '?variables=%7B%7D', status: 400, code: 'BAD_REQUEST' },
  { name: 'PUT', method: 'PUT', body: { query: '{ encounterCount }' }, status: 405, code: 'BAD_REQUEST' },
  { name: 'a negative page size', role: 'registrar', body: { query: '{ patients(first: -5) { totalCount } }' }, status: 400, code: 'BAD_USER_INPUT' },
  { name: 'an Int variable beyond 32 bits', body: { query: 'query($n: Int) { patients(first: $n) { totalCount } }', variables: { n: 2 ** 40 } }, status: 400, code: 'BAD_USER_INPUT' },
  { name: 'a missing variable of @skip', body: { query: 'query($s: Boolean!) { encounterCount @skip(if: $s) }' }, status: 400, code: 'BAD_USER_INPUT' },
  { name: 'an unknown directive', body: { query: '{ encounterCount @nope }' }, status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'a break-the-glass reason that is too short', role: 'clinician', body: { query: `mutation { breakTheGlass(nationalId: "${person?.nationalId ?? ''}", reason: "x") { expiresAt } }` }, status: 400, code: 'BAD_USER_INPUT' },
  { name: 'an argument the field does not have', role: 'auditor', body: { query: '{ auditEvents(first: 1, outcome: NOPE) { seq } }' }, status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'a fragment cycle', body: { query: '{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }' }, status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'a body over the size cap', raw: JSON.stringify({ query: '{ encounterCount }', variables: { pad: 'x'.repeat(1_100_000) } }), status: 413, code: 'BAD_REQUEST' },
  { name: 'an empty query', body: { query: '' }, status: 400, code: 'BAD_REQUEST' },
  { name: 'extensions that are not an object', body: { query: '{ encounterCount }', extensions: 'x' }, status: 400, code: 'BAD_REQUEST' },
  { name: 'a persistedQuery extension that is not an object', body: { query: '{ encounterCount }', extensions: { persistedQuery: 'x' } }, status: 400, code: 'BAD_REQUEST' },
  { name: 'an empty operationName', body: { query: 'query A { encounterCount }', operationName: '' }, status: 400, code: 'BAD_REQUEST' },
  { name: 'selections nested 3,000 deep (under the size cap)', body: { query: `${'{ a '.repeat(3_000)}${'}'.repeat(3_000)}` }, status: 400, code: 'GRAPHQL_PARSE_FAILED' },
  { name: 'lists nested 5,000 deep in an argument', body: { query: `{ encounterCount(facilityCodes: ${'['.repeat(5_000)}${']'.repeat(5_000)}) }` }, status: 400, code: 'GRAPHQL_PARSE_FAILED' },
];

describe('bad requests through the real gateway: the caller’s fault is a 4xx with a precise code', () => {
  let network: DemoNetwork;
  const proxies: FaultProxy[] = [];
  const sourceCalls = (): number => proxies.reduce((n, p) => n + p.requests.length, 0);
  const logs = captureLogger();
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    network = await startDemoNetwork({
      logger: logs.logger,
      population,
      hospitalKinds: 'synthetic',
      // The catalogue is sent twice; the rate limit has its own test (requestPipeline.test.ts).
      rateLimits: { limiter: new InMemoryRateLimiter(), limitFor: rateLimitsByRole({ analyst: { capacity: 1_000, refillPerSecond: 10 } }) },
      hospitalEndpoint: async (_facility, url) => {
        const proxy = await startFaultProxy(url);
        proxies.push(proxy);
        return proxy.url;
      },
    });
    for (const role of ['analyst', 'clinician', 'auditor', 'registrar'] as const) {
      tokens.set(role, await tokenFor(role, { facilityCode: role === 'clinician' || role === 'registrar' ? (person?.records[0]?.facilityCode ?? '') : undefined }));
    }
  }, 120_000);

  afterAll(async () => {
    await network?.stop();
    await Promise.all(proxies.map((p) => p.stop()));
  });

  async function send(request: BadRequest): Promise<{ status: number; code: unknown; text: string }> {
    const body = request.raw ?? (request.body === undefined ? undefined : JSON.stringify(request.body));
    const response = await fetch(`${network.gateway.url}${request.search ?? ''}`, {
      method: request.method ?? 'POST',
      headers: {
        authorization: `Bearer ${tokens.get(request.role ?? 'analyst') ?? ''}`,
        ...(body === undefined ? {} : { 'content-type': request.contentType ?? 'application/json' }),
        ...(request.method === 'GET' && !request.noPreflight ? { 'apollo-require-preflight': 'true' } : {}),
      },
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    const parsed = JSON.parse(text) as { errors?: { extensions?: { code?: unknown } }[] };
    return { status: response.status, code: parsed.errors?.[0]?.extensions?.code, text };
  }

  it.each(CATALOGUE.map((r) => [r.name, r] as const))('%s', async (_name, request) => {
    const before = sourceCalls();
    const answer = await send(request);
    expect({ status: answer.status, code: answer.code }).toEqual({ status: request.status, code: request.code });
    expect(isErrorCode(answer.code)).toBe(true);
    expect(sourceCalls()).toBe(before);
  });

  it('answers every request of the catalogue with a 4xx and a registered code, never a 500', async () => {
    const answers = [];
    for (const request of CATALOGUE) answers.push({ name: request.name, ...(await send(request)) });
    const wrong = answers.filter((a) => a.status < 400 || a.status >= 500 || !isErrorCode(a.code));
    expect(wrong.map((a) => `${a.name}: ${a.status} ${String(a.code)}`)).toEqual([]);
    // The status of each code is the one the registry promises (405 and 413 refine BAD_REQUEST's 400).
    for (const answer of answers) {
      if (isErrorCode(answer.code) && answer.status !== 405 && answer.status !== 413) expect(`${answer.name}: ${answer.status}`).toBe(`${answer.name}: ${ERROR_CODES[answer.code].status}`);
    }
    expect(logs.lines.filter((line) => line.includes('gateway.internal_error'))).toEqual([]);
  });

  it('asks no hospital for an aggregate with an impossible date, and still answers a good one', async () => {
    proxies.forEach((p) => p.reset());
    const bad = await send({ name: 'bad date', body: { query: '{ encounterCount(from: "2025-13-45") }' }, status: 400, code: 'BAD_USER_INPUT' });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/a Date is written YYYY-MM-DD/);
    expect(bad.text).not.toContain('"data"');
    expect(sourceCalls()).toBe(0);
    const good = await send({ name: 'good date', body: { query: '{ encounterCount(from: "2025-01-01") }' }, status: 200, code: undefined as never });
    expect(good.status).toBe(200);
    expect(sourceCalls()).toBe(proxies.length);
  });

  it('keeps the automatic-persisted-query protocol: an unknown hash asks for the text (200), then the hash alone runs', async () => {
    const query = '{ encounterCount(from: "2024-01-01") }';
    const persistedQuery = { version: 1, sha256Hash: sha256(query) };
    const unknown = await send({ name: 'hash only', body: { extensions: { persistedQuery } }, status: 200, code: 'PERSISTED_QUERY_NOT_FOUND' });
    expect({ status: unknown.status, code: unknown.code }).toEqual({ status: 200, code: 'PERSISTED_QUERY_NOT_FOUND' });
    expect((await send({ name: 'register', body: { query, extensions: { persistedQuery } }, status: 200, code: '' })).status).toBe(200);
    const byHash = await send({ name: 'hash only again', body: { extensions: { persistedQuery } }, status: 200, code: '' });
    expect(byHash.status).toBe(200);
    expect(byHash.text).toMatch(/"encounterCount":\d+/);
  });
});
