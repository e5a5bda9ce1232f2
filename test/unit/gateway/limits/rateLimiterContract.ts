import type { RateLimiter } from '../../../../gateway/limits/RateLimiter';

/** A clock the test moves by hand; starts at a realistic epoch so the Redis script sees real magnitudes. */
export class FakeClock {
  now = 1_750_000_000_000;

  advance(ms: number): void {
    this.now += ms;
  }
}

/**
 * The decisions every RateLimiter must make, whatever holds its state: run by the in-memory unit
 * test and by the Redis integration test, so the two stay interchangeable. `make` gets the clock
 * the limiter must use; `key` gives a fresh bucket key per test.
 */
export function describeRateLimiterContract(make: (clock: FakeClock) => RateLimiter, key: (name: string) => string): void {
  let clock: FakeClock;
  let limiter: RateLimiter;

  beforeEach(() => {
    clock = new FakeClock();
    limiter = make(clock);
  });

  it('allows a burst up to the capacity, then refuses and says when one token is back', async () => {
    const k = key('burst');
    const limit = { capacity: 3, refillPerSecond: 1 };
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await limiter.consume(k, 1, limit));
    expect(decisions.map((d) => [d.allowed, d.remaining])).toEqual([[true, 2], [true, 1], [true, 0], [false, 0]]);
    expect(decisions[3]?.retryAfterMs).toBe(1000);
  });

  it('refills at the configured rate and never beyond the capacity', async () => {
    const k = key('refill');
    const limit = { capacity: 2, refillPerSecond: 0.5 };
    await limiter.consume(k, 2, limit);
    clock.advance(1999);
    expect(await limiter.consume(k, 1, limit)).toMatchObject({ allowed: false, retryAfterMs: 1 });
    clock.advance(1);
    expect(await limiter.consume(k, 1, limit)).toEqual({ allowed: true, remaining: 0, retryAfterMs: 0 });
    clock.advance(3_600_000);
    expect(await limiter.consume(k, 2, limit)).toMatchObject({ allowed: true, remaining: 0 });
    expect((await limiter.consume(k, 1, limit)).allowed).toBe(false);
  });

  it('charges costs above 1 and takes nothing when it refuses', async () => {
    const k = key('cost');
    const limit = { capacity: 10, refillPerSecond: 2 };
    expect(await limiter.consume(k, 7, limit)).toMatchObject({ allowed: true, remaining: 3 });
    expect(await limiter.consume(k, 5, limit)).toEqual({ allowed: false, remaining: 3, retryAfterMs: 1000 });
    expect(await limiter.consume(k, 3, limit)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('keeps one bucket per key', async () => {
    const [one, two] = [key('one'), key('two')];
    const limit = { capacity: 1, refillPerSecond: 1 };
    expect((await limiter.consume(one, 1, limit)).allowed).toBe(true);
    expect((await limiter.consume(one, 1, limit)).allowed).toBe(false);
    expect((await limiter.consume(two, 1, limit)).allowed).toBe(true);
  });

  it('rejects a cost the bucket could never grant, and an impossible limit', async () => {
    await expect(limiter.consume(key('bad'), 11, { capacity: 10, refillPerSecond: 1 })).rejects.toThrow(RangeError);
    await expect(limiter.consume(key('bad'), 0, { capacity: 10, refillPerSecond: 1 })).rejects.toThrow(RangeError);
    await expect(limiter.consume(key('bad'), 1, { capacity: 10, refillPerSecond: 0 })).rejects.toThrow(/refillPerSecond/);
  });
}
