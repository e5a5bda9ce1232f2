import { randomUUID } from 'node:crypto';
import { connect as connectTcp, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Redis, type RedisOptions } from 'ioredis';
import { RedisRateLimiter, type RedisScriptClient } from '../../../gateway/limits/RedisRateLimiter';
import { captureLogger } from '../../helpers/captureLogger';
import { describeRateLimiterContract, FakeClock } from '../../unit/gateway/limits/rateLimiterContract';

const REDIS = { host: '127.0.0.1', port: 6379 };
const PREFIX = `pg-test:rate:${randomUUID()}:`;

/** A client set up as the gateway should set it up: fail at once while disconnected instead of queueing. */
function client(port = REDIS.port, extra: RedisOptions = {}): Redis {
  const redis = new Redis({ host: REDIS.host, port, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, ...extra });
  redis.on('error', () => undefined); // connection errors surface as failed commands; the limiter logs them
  return redis;
}

/** A client that tried to reach a Redis that is not there (and, to end the test cleanly, gave up). */
async function unreachableClient(): Promise<Redis> {
  const redis = client(await deadPort(), { retryStrategy: () => null });
  await redis.connect().catch(() => undefined);
  return redis;
}

/**
 * Disconnects unless the client already gave up: ioredis arms a 2 s timer on disconnect that only
 * the socket's `close` clears, and a refused socket has closed already.
 */
function close(redis: Redis): void {
  if (redis.status !== 'end') redis.disconnect();
}

/** A port on which nothing listens. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A TCP proxy in front of the real Redis that can stop forwarding requests, like a Redis that
 * hangs or a network that drops packets: connections stay open, answers never come.
 */
async function startStallingProxy(targetPort: number): Promise<{ port: number; stall(): void; stop(): Promise<void> }> {
  let stalled = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer((downstream) => {
    const upstream = connectTcp(targetPort, REDIS.host);
    for (const socket of [downstream, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
    }
    downstream.on('data', (chunk) => {
      if (!stalled) upstream.write(chunk);
    });
    upstream.on('data', (chunk) => downstream.write(chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    stall: () => {
      stalled = true;
    },
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let unique = 0;
const freshKey = (name: string): string => `${name}-${++unique}`;

describe('RedisRateLimiter (real Redis)', () => {
  let redis: Redis;
  let replica: Redis;

  beforeAll(async () => {
    redis = client();
    replica = client();
    await Promise.all([redis.connect(), replica.connect()]);
  });

  afterAll(async () => {
    const keys = await redis.keys(`${PREFIX}*`);
    if (keys.length > 0) await redis.del(...keys);
    await Promise.all([redis.quit(), replica.quit()]);
  });

  describe('as a RateLimiter', () => {
    describeRateLimiterContract((clock) => new RedisRateLimiter({ redis, keyPrefix: PREFIX, logger: captureLogger().logger, now: () => clock.now }), freshKey);
  });

  it('shares one allowance between gateway replicas', async () => {
    const clock = new FakeClock();
    const replicas = [redis, replica].map((client) => new RedisRateLimiter({ redis: client, keyPrefix: PREFIX, logger: captureLogger().logger, now: () => clock.now }));
    const key = freshKey('replicas');
    const limit = { capacity: 4, refillPerSecond: 1 };
    const decisions = [];
    for (let i = 0; i < 5; i++) decisions.push(await replicas[i % 2]!.consume(key, 1, limit));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, false]);
    clock.advance(1000);
    expect((await replicas[1]!.consume(key, 1, limit)).allowed).toBe(true);
  });

  it('keeps one number per bucket under the prefix, expiring once the bucket would be full', async () => {
    const clock = new FakeClock();
    const limiter = new RedisRateLimiter({ redis, keyPrefix: PREFIX, logger: captureLogger().logger, now: () => clock.now });
    const key = freshKey('ttl');
    await limiter.consume(key, 3, { capacity: 10, refillPerSecond: 1 });
    const ttl = await redis.pttl(`${PREFIX}${key}`);
    expect(ttl).toBeGreaterThan(2_000);
    expect(ttl).toBeLessThanOrEqual(3_000);
    expect(Number(await redis.get(`${PREFIX}${key}`))).toBeCloseTo(clock.now + 3_000, 0);
  });

  it('uses the Redis server clock when given none', async () => {
    const limiter = new RedisRateLimiter({ redis, keyPrefix: PREFIX, logger: captureLogger().logger });
    const key = freshKey('redis-time');
    // One token a second: the refusal holds however slow the loaded machine is between the two
    // calls (short of a second), and after the wait the server clock has refilled at least one.
    const limit = { capacity: 2, refillPerSecond: 1 };
    await limiter.consume(key, 2, limit);
    const refused = await limiter.consume(key, 1, limit);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(1_000);
    await new Promise((resolve) => setTimeout(resolve, refused.retryAfterMs + 50));
    expect((await limiter.consume(key, 1, limit)).allowed).toBe(true);
  });

  it('sends the script itself when Redis does not know it yet (NOSCRIPT)', async () => {
    let evals = 0;
    const client = {
      evalsha: () => Promise.reject(new Error('NOSCRIPT No matching script. Please use EVAL.')),
      eval: (...args: Parameters<Redis['eval']>) => {
        evals += 1;
        return redis.eval(...args);
      },
    } as unknown as RedisScriptClient;
    const limiter = new RedisRateLimiter({ redis: client, keyPrefix: PREFIX, logger: captureLogger().logger, now: () => 1_750_000_000_000 });
    expect(await limiter.consume(freshKey('noscript'), 1, { capacity: 2, refillPerSecond: 1 })).toEqual({ allowed: true, remaining: 1, retryAfterMs: 0 });
    expect(evals).toBe(1);
  });

  it('refuses options that cannot work, at construction', () => {
    const logger = captureLogger().logger;
    expect(() => new RedisRateLimiter({ redis, keyPrefix: '', logger })).toThrow(/keyPrefix must be a non-empty string/);
    expect(() => new RedisRateLimiter({ redis, keyPrefix: PREFIX, logger, timeoutMs: 0 })).toThrow(/timeoutMs must be > 0/);
    const mode = 'maybe' as unknown as 'refuse';
    expect(() => new RedisRateLimiter({ redis, keyPrefix: PREFIX, logger, whenUnavailable: mode })).toThrow(/whenUnavailable must be "fallback" or "refuse"/);
  });

  describe('when Redis is unreachable', () => {
    const limit = { capacity: 2, refillPerSecond: 0.01 };

    it('falls back to per-replica limits and warns once per outage', async () => {
      const down = await unreachableClient();
      const logs = captureLogger();
      try {
        const limiter = new RedisRateLimiter({ redis: down, keyPrefix: PREFIX, logger: logs.logger });
        const decisions = [];
        for (let i = 0; i < 3; i++) decisions.push((await limiter.consume('clinician:x', 1, limit)).allowed);
        expect(decisions).toEqual([true, true, false]);
        const warnings = logs.lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((l) => l.event === 'rate_limiter.redis_unavailable');
        expect(warnings).toHaveLength(1);
        expect(warnings[0]).toMatchObject({ level: 'warn', mode: 'fallback' });
      } finally {
        close(down);
      }
    });

    it('refuses every request when configured to fail closed', async () => {
      const down = await unreachableClient();
      try {
        const limiter = new RedisRateLimiter({ redis: down, keyPrefix: PREFIX, logger: captureLogger().logger, whenUnavailable: 'refuse' });
        const decision = await limiter.consume('clinician:y', 1, limit);
        expect(decision.allowed).toBe(false);
        expect(decision.retryAfterMs).toBeGreaterThanOrEqual(1000);
      } finally {
        close(down);
      }
    });

    it('stops waiting for a Redis that stops answering', async () => {
      const proxy = await startStallingProxy(REDIS.port);
      const behind = client(proxy.port);
      try {
        await behind.connect();
        const limiter = new RedisRateLimiter({ redis: behind, keyPrefix: PREFIX, logger: captureLogger().logger, timeoutMs: 50 });
        expect((await limiter.consume(freshKey('stall'), 1, limit)).allowed).toBe(true);
        // The proxy never answers again: only the limiter's own timeout lets this call return.
        proxy.stall();
        expect((await limiter.consume(freshKey('stall'), 1, limit)).allowed).toBe(true);
      } finally {
        behind.disconnect();
        await proxy.stop();
      }
    });

    it('decides locally for retryAfterFailureMs, then asks Redis again and says it is back', async () => {
      const clock = new FakeClock();
      let failing = true;
      let calls = 0;
      const flaky = {
        evalsha: (...args: Parameters<Redis['evalsha']>) => {
          calls += 1;
          return failing ? Promise.reject(new Error('connect ECONNREFUSED')) : redis.evalsha(...args);
        },
        eval: (...args: Parameters<Redis['eval']>) => redis.eval(...args),
      } as unknown as RedisScriptClient;
      const logs = captureLogger();
      const limiter = new RedisRateLimiter({ redis: flaky, keyPrefix: PREFIX, logger: logs.logger, retryAfterFailureMs: 5_000, now: () => clock.now });
      const key = freshKey('flaky');
      await limiter.consume(key, 1, limit);
      await limiter.consume(key, 1, limit);
      expect(calls).toBe(1);
      failing = false;
      clock.advance(5_000);
      // Redis's bucket is still full: the two local decisions were not written to it.
      expect(await limiter.consume(key, 2, limit)).toMatchObject({ allowed: true, remaining: 0 });
      expect(calls).toBe(2);
      const events = logs.lines.map((line) => (JSON.parse(line) as { event: string }).event);
      expect(events).toEqual(['rate_limiter.redis_unavailable', 'rate_limiter.redis_recovered']);
    });
  });
});
