import { RequestPacer } from '../../../../adapters/vss/RequestPacer';

describe('RequestPacer', () => {
  it('lets a burst through at once, then paces the rest at the configured rate', async () => {
    let now = 0;
    const slept: number[] = [];
    const pacer = new RequestPacer(2, 2, () => now, async (ms) => {
      slept.push(ms);
      now += ms;
    });
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      await pacer.acquire();
      times.push(now);
    }
    expect(times).toEqual([0, 0, 500, 1000, 1500]);
    expect(slept.every((ms) => ms > 0)).toBe(true);
  });

  it('refills up to the burst after a quiet period', async () => {
    let now = 0;
    const pacer = new RequestPacer(1, 3, () => now, async (ms) => {
      now += ms;
    });
    for (let i = 0; i < 3; i++) await pacer.acquire();
    now += 10_000;
    const start = now;
    for (let i = 0; i < 3; i++) await pacer.acquire();
    expect(now).toBe(start);
  });

  it('refuses a rate or burst that cannot pace anything', () => {
    expect(() => new RequestPacer(0, 1)).toThrow('ratePerSecond');
    expect(() => new RequestPacer(1, 0)).toThrow('burst');
  });
});
