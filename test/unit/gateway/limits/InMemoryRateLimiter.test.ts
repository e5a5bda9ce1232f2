import { InMemoryRateLimiter } from '../../../../gateway/limits/InMemoryRateLimiter';
import { describeRateLimiterContract, FakeClock } from './rateLimiterContract';

describe('InMemoryRateLimiter', () => {
  describe('as a RateLimiter', () => {
    describeRateLimiterContract((clock) => new InMemoryRateLimiter({ now: () => clock.now }), (name) => name);
  });

  it('forgets buckets that have refilled to capacity (idle keys cost no memory)', async () => {
    const clock = new FakeClock();
    const limiter = new InMemoryRateLimiter({ now: () => clock.now });
    const limit = { capacity: 5, refillPerSecond: 1 };
    for (let i = 0; i < 100; i++) await limiter.consume(`idle-${i}`, 2, limit);
    expect(limiter.size).toBe(100);
    clock.advance(2_000);
    await limiter.consume('active', 1, limit);
    expect(limiter.size).toBe(1);
  });

  it('keeps at most maxKeys buckets, dropping the least recently used', async () => {
    const clock = new FakeClock();
    const limiter = new InMemoryRateLimiter({ maxKeys: 3, now: () => clock.now });
    const limit = { capacity: 1, refillPerSecond: 0.001 };
    for (const k of ['a', 'b', 'c']) await limiter.consume(k, 1, limit);
    await limiter.consume('a', 1, limit); // refused, but `a` is now the most recently used
    await limiter.consume('d', 1, limit);
    expect(limiter.size).toBe(3);
    expect((await limiter.consume('a', 1, limit)).allowed).toBe(false);
    expect((await limiter.consume('c', 1, limit)).allowed).toBe(false);
    // `b` was dropped: its caller starts again with a full bucket.
    expect((await limiter.consume('b', 1, limit)).allowed).toBe(true);
  });

  it('refuses a maxKeys below one at construction', () => {
    expect(() => new InMemoryRateLimiter({ maxKeys: 0 })).toThrow(/maxKeys must be an integer ≥ 1/);
  });
});
