import fc from 'fast-check';
import { isErrorCode } from '../../../core/errors/errorCodes';
import { startDemoNetwork, type DemoNetwork } from '../../../demo/startDemoNetwork';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import { InMemoryRateLimiter } from '../../../gateway/limits/InMemoryRateLimiter';
import { captureLogger } from '../../helpers/captureLogger';
import { tokenFor } from '../../helpers/tokens';

const population = createDemoPopulation();
const QUERY = 'query($id: ID!) { patient(nationalId: $id) { nationalId name { full } facilityCodes encounters { id period { start } source { facilityCode } } } }';

interface Reply {
  readonly status: number;
  readonly body: { data?: unknown; errors?: { message?: unknown; extensions?: { code?: unknown } }[] } | null;
}

/**
 * Whatever a client sends, the gateway answers: a JSON GraphQL response, never HTTP 500, every
 * error with a registered code, no stack trace, within the test's deadline (no hang). Bounded runs
 * against the real gateway over synthetic hospitals; the seed is printed when a property fails.
 */
describe('gateway properties (fast-check, real HTTP)', () => {
  let network: DemoNetwork;
  let token: string;

  beforeAll(async () => {
    network = await startDemoNetwork({
      logger: captureLogger().logger,
      population,
      hospitalKinds: 'synthetic',
      facilities: population.facilities.slice(0, 2),
      rateLimits: { limiter: new InMemoryRateLimiter(), limitFor: () => null },
    });
    token = await tokenFor('clinician', { facilityCode: population.facilities[0]?.code ?? '01901' });
  }, 120_000);

  afterAll(async () => {
    await network.stop();
  });

  const post = async (body: string): Promise<Reply> => {
    const response = await fetch(network.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
      signal: AbortSignal.timeout(20_000),
    });
    const text = await response.text();
    let parsed: Reply['body'] = null;
    try {
      parsed = JSON.parse(text) as Reply['body'];
    } catch {
      parsed = null;
    }
    return { status: response.status, body: parsed };
  };

  const expectClearAnswer = (reply: Reply): void => {
    expect(reply.status).not.toBe(500);
    expect(reply.body).not.toBeNull();
    for (const error of reply.body?.errors ?? []) {
      expect(isErrorCode(error.extensions?.code) || error.extensions?.code === 'GRAPHQL_PARSE_FAILED' || error.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' || error.extensions?.code === 'BAD_USER_INPUT').toBe(true);
      expect(String(error.message)).not.toMatch(/\n\s+at /);
    }
  };

  it('answers any national ID value with data or a clear 4xx error, never a 500', async () => {
    const identifier = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.stringMatching(/^\d{1,14}$/),
      fc.constantFrom(...population.people.slice(0, 20).map((p) => p.nationalId)),
      fc.constant('0'.repeat(10_000)),
    );
    await fc.assert(
      fc.asyncProperty(identifier, async (id) => {
        expectClearAnswer(await post(JSON.stringify({ query: QUERY, variables: { id } })));
      }),
      { numRuns: 60 },
    );
  }, 300_000);

  it('answers documents mutated character by character with a clear error, never a 500 or a hang', async () => {
    const mutation = fc.array(fc.tuple(fc.nat({ max: QUERY.length }), fc.nat({ max: 3 }), fc.string({ maxLength: 3 })), { minLength: 1, maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(mutation, async (edits) => {
        let document = QUERY;
        for (const [at, remove, insert] of edits) document = document.slice(0, at) + insert + document.slice(at + remove);
        expectClearAnswer(await post(JSON.stringify({ query: document, variables: { id: population.people[0]?.nationalId } })));
      }),
      { numRuns: 80 },
    );
  }, 300_000);

  it('answers arbitrary JSON bodies with a clear error, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (value) => {
        expectClearAnswer(await post(JSON.stringify(value)));
      }),
      { numRuns: 60 },
    );
  }, 300_000);
});
