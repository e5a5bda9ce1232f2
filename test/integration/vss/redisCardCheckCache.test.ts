import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { RedisCardCheckCache } from '../../../adapters/vss/RedisCardCheckCache';
import { VssClient } from '../../../adapters/vss/VssClient';
import { silentLogger } from '../../../core/logging/logger';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import { DEMO_VSS_ACCOUNT } from '../../../demo/vss/demoVssAccount';
import { startVssSimulator, type RunningVssSimulator } from '../../../demo/vss/VssSimulator';

const population = createDemoPopulation(60);
const person = population.people.find((p) => p.card?.resultCode === '000');

describe('VssClient with its card-check cache on Redis (two replicas)', () => {
  const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true });
  const prefix = `pg-test:vss-card:${randomUUID()}:`;
  let vss: RunningVssSimulator;

  beforeAll(async () => {
    await redis.connect();
    vss = await startVssSimulator({ population, username: DEMO_VSS_ACCOUNT.username, logger: silentLogger });
  });

  afterAll(async () => {
    await new RedisCardCheckCache(redis, prefix).clear();
    redis.disconnect();
    await vss.stop();
  });

  it('answers the second replica from the cache the first one filled: one call to VSS', async () => {
    const replica = (): VssClient => new VssClient({ baseUrl: vss.url, ...DEMO_VSS_ACCOUNT, logger: silentLogger, cache: new RedisCardCheckCache(redis, prefix), cacheTtlMs: 60_000 });
    const input = { cardNumber: person?.insuranceNumber ?? '', fullName: person?.name.full ?? '', birthDate: person?.birthDate ?? '' };
    const first = await replica().checkCard(input);
    const second = await replica().checkCard(input);
    expect(first.kind).toBe('card');
    expect(second).toEqual(first);
    expect(vss.stats().cardCheck).toBe(1);
    const keys = await redis.keys(`${prefix}*`);
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toContain(person?.insuranceNumber ?? '###');
    expect(await redis.pttl(keys[0] ?? '')).toBeGreaterThan(50_000);
  });
});
