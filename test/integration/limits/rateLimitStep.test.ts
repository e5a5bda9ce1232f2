import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { InMemoryRateLimiter } from '../../../gateway/limits/InMemoryRateLimiter';
import { patientGraphCostModel } from '../../../gateway/limits/patientGraphCostModel';
import { rateLimitsByRole } from '../../../gateway/limits/rateLimitsByRole';
import { RedisRateLimiter } from '../../../gateway/limits/RedisRateLimiter';
import { bucketKey, rateLimitStep, type RateLimitStepOptions } from '../../../gateway/pipeline/rateLimitStep';
import { captureLogger } from '../../helpers/captureLogger';
import { FakeClock } from '../../unit/gateway/limits/rateLimiterContract';
import { requestPipelineWith, send, startLimitsTestServer, SYNTHETIC_NATIONAL_ID, type LimitsTestServer } from './startLimitsTestServer';

/** The rate limit as the first step of the gateway's request pipeline, charging what the step charges. */
const rateLimited = (options: RateLimitStepOptions) => requestPipelineWith({ rateLimit: rateLimitStep(options) }, options.costModel ? { costModel: options.costModel } : {});

const COUNT = { query: '{ encounterCount }' };
const doctor = { sub: 'staff-0001', role: 'clinician' } as const;

describe('the rate limit step in the request pipeline (real Apollo Server over HTTP)', () => {
  describe('one operation, one token', () => {
    const clock = new FakeClock();
    let server: LimitsTestServer;

    beforeAll(async () => {
      server = await startLimitsTestServer([
        rateLimited({
          limiter: new InMemoryRateLimiter({ now: () => clock.now }),
          limitFor: rateLimitsByRole({ clinician: { capacity: 2, refillPerSecond: 0.5 }, registrar: { capacity: 1, refillPerSecond: 0.5 }, anonymous: { capacity: 1, refillPerSecond: 0.1 } }),
        }),
      ]);
    });

    afterAll(async () => {
      await server.stop();
    });

    it('refuses the request after the allowance with 429, Retry-After and retryAfterMs, without executing it', async () => {
      expect((await send(server.url, COUNT, { principal: doctor })).status).toBe(200);
      expect((await send(server.url, COUNT, { principal: doctor })).status).toBe(200);
      const before = server.executions();
      const refused = await send(server.url, COUNT, { principal: doctor });
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('2');
      expect(refused.body.errors?.[0]?.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterMs: 2000 });
      expect(refused.body.errors?.[0]?.message).toBe('Too many requests: the allowance of this caller is used up for now. Retry in 2 s.');
      expect(server.executions()).toBe(before);
    });

    it('keeps one allowance per person and role', async () => {
      expect((await send(server.url, COUNT, { principal: { sub: 'staff-0002', role: 'clinician' } })).status).toBe(200);
      expect((await send(server.url, COUNT, { principal: { sub: doctor.sub, role: 'registrar' } })).status).toBe(200);
      expect((await send(server.url, COUNT, { principal: { sub: doctor.sub, role: 'registrar' } })).status).toBe(429);
    });

    it('limits requests without a principal together, as anonymous', async () => {
      expect((await send(server.url, COUNT)).status).toBe(200);
      expect((await send(server.url, COUNT)).status).toBe(429);
    });

    it('lets the caller in again once the bucket has refilled', async () => {
      clock.advance(2_000);
      expect((await send(server.url, COUNT, { principal: doctor })).status).toBe(200);
    });
  });

  it('charges each operation its estimated cost when given a cost model', async () => {
    const clock = new FakeClock();
    const server = await startLimitsTestServer([
      rateLimited({
        limiter: new InMemoryRateLimiter({ now: () => clock.now }),
        limitFor: rateLimitsByRole({ clinician: { capacity: 500, refillPerSecond: 10 } }),
        costModel: patientGraphCostModel,
      }),
    ]);
    try {
      // 1 + encounters 20 × (1 + period 1 + source 1) = 61 per look-up
      const lookUp = { query: 'query ($id: ID!) { patient(nationalId: $id) { encounters { id period { start } source { facilityCode } } } }', variables: { id: SYNTHETIC_NATIONAL_ID } };
      const statuses = [];
      for (let i = 0; i < 9; i++) statuses.push((await send(server.url, lookUp, { principal: doctor })).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 429]);
      // 500 − 8 × 61 = 12 tokens left; the 49 missing come back at 10 a second.
      const refused = await send(server.url, lookUp, { principal: doctor });
      expect(refused.body.errors?.[0]?.extensions?.retryAfterMs).toBe(4900);
      expect((await send(server.url, COUNT, { principal: doctor })).status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it('keys buckets by role and a digest of the subject, never the subject itself', () => {
    const patient = { sub: '079099000001', role: 'patient' as const, facilityCode: null, scopes: [], purposeOfUse: 'treatment' as const, tokenId: null };
    expect(bucketKey(patient)).toMatch(/^patient:[0-9a-f]{32}$/);
    expect(bucketKey(patient)).not.toContain(patient.sub);
    expect(bucketKey(null)).toBe('anonymous');
  });

  it('refuses unknown roles and impossible limits at construction', () => {
    const role = { nurse: { capacity: 1, refillPerSecond: 1 } } as unknown as Parameters<typeof rateLimitsByRole>[0];
    expect(() => rateLimitsByRole(role)).toThrow(/unknown role "nurse"/);
    expect(() => rateLimitsByRole({ analyst: { capacity: 0, refillPerSecond: 1 } })).toThrow(/rate limit of analyst: capacity must be an integer ≥ 1/);
  });

  describe('two gateway replicas sharing Redis', () => {
    const prefix = `pg-test:rate:${randomUUID()}:`;
    const clients: Redis[] = [];
    const servers: LimitsTestServer[] = [];

    beforeAll(async () => {
      for (let i = 0; i < 2; i++) {
        const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true, enableOfflineQueue: false });
        await redis.connect();
        clients.push(redis);
        const limiter = new RedisRateLimiter({ redis, keyPrefix: prefix, logger: captureLogger().logger });
        servers.push(await startLimitsTestServer([rateLimited({ limiter, limitFor: rateLimitsByRole({ clinician: { capacity: 3, refillPerSecond: 0.01 } }) })]));
      }
    });

    afterAll(async () => {
      await Promise.all(servers.map((s) => s.stop()));
      const keys = await clients[0]!.keys(`${prefix}*`);
      if (keys.length > 0) await clients[0]!.del(...keys);
      await Promise.all(clients.map((c) => c.quit()));
    });

    it('spends one allowance whichever replica answers', async () => {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await send(servers[i % 2]!.url, COUNT, { principal: doctor })).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
    });
  });
});
