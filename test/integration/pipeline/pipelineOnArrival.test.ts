import { InMemoryRateLimiter } from '../../../gateway/limits/InMemoryRateLimiter';
import { buildPersistedQueryManifest } from '../../../gateway/limits/buildPersistedQueryManifest';
import { OperationSafelist } from '../../../gateway/limits/OperationSafelist';
import { patientGraphCostModel } from '../../../gateway/limits/patientGraphCostModel';
import { rateLimitsByRole } from '../../../gateway/limits/rateLimitsByRole';
import { documentLimitsStep } from '../../../gateway/pipeline/documentLimitsStep';
import { GATEWAY_SCALARS } from '../../../gateway/pipeline/gatewayScalars';
import { rateLimitStep } from '../../../gateway/pipeline/rateLimitStep';
import { requestPipelinePlugin } from '../../../gateway/pipeline/requestPipelinePlugin';
import { FakeClock } from '../../unit/gateway/limits/rateLimiterContract';
import { send, startLimitsTestServer, type LimitsTestServer } from '../limits/startLimitsTestServer';

const safelist = OperationSafelist.fromManifest(buildPersistedQueryManifest([{ path: 'app.graphql', text: 'query EncounterCount { encounterCount }' }]));
const registrar = { sub: 'reg-0001', role: 'registrar' } as const;

describe('the request pipeline: checks on arrival are reported after the rate limit (real Apollo Server over HTTP)', () => {
  const clock = new FakeClock();
  let server: LimitsTestServer;

  beforeAll(async () => {
    server = await startLimitsTestServer([
      requestPipelinePlugin({
        facts: { identifierArguments: new Map(), costModel: patientGraphCostModel, scalars: GATEWAY_SCALARS },
        safelist: { safelist, mode: 'enforce' },
        limits: { maxDocumentBytes: 1024 },
        steps: {
          rateLimit: rateLimitStep({ limiter: new InMemoryRateLimiter({ now: () => clock.now }), limitFor: rateLimitsByRole({ registrar: { capacity: 2, refillPerSecond: 0.5 } }) }),
          documentLimits: documentLimitsStep({ maxDocumentBytes: 1024 }, patientGraphCostModel),
        },
      }),
    ]);
  }, 60_000);

  afterAll(async () => {
    await server.stop();
  });

  it('refuses an unregistered operation (403) while the caller has allowance, and charges it', async () => {
    const refused = await send(server.url, { query: '{ encounterCount }' }, { principal: registrar });
    expect(refused.status).toBe(403);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('OPERATION_NOT_ALLOWED');
    expect((await send(server.url, { query: 'query EncounterCount { encounterCount }' }, { principal: registrar })).status).toBe(200);
  });

  it('answers RATE_LIMITED once the allowance is spent, whatever the safelist would say, and parses no unregistered text', async () => {
    const before = server.executions();
    const unregistered = await send(server.url, { query: '{ patients(first: 1) { totalCount } }' }, { principal: registrar });
    expect(unregistered.status).toBe(429);
    const registered = await send(server.url, { query: 'query EncounterCount { encounterCount }' }, { principal: registrar });
    expect(registered.status).toBe(429);
    expect(server.executions()).toBe(before);
    expect(server.parsedSources).not.toContain('{ patients(first: 1) { totalCount } }');
  });

  it('lets the caller in again once the bucket has refilled', async () => {
    clock.advance(2_000);
    expect((await send(server.url, { query: 'query EncounterCount { encounterCount }' }, { principal: registrar })).status).toBe(200);
  });
});
