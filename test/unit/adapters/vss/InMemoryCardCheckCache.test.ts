import { InMemoryCardCheckCache } from '../../../../adapters/vss/InMemoryCardCheckCache';
import type { CardCheckResult } from '../../../../adapters/vss/CardCheckResult';

const result = (n: number): CardCheckResult => ({ kind: 'n', n }) as unknown as CardCheckResult;

describe('InMemoryCardCheckCache', () => {
  it('forgets an entry once its time to live has passed', async () => {
    let now = 1_000;
    const cache = new InMemoryCardCheckCache({ now: () => now });
    await cache.set('a', result(1), 100);
    now += 100;
    expect(await cache.get('a')).toEqual(result(1));
    now += 1;
    expect(await cache.get('a')).toBeUndefined();
  });

  it('keeps at most maxEntries, dropping the least recently used', async () => {
    const cache = new InMemoryCardCheckCache({ maxEntries: 2 });
    await cache.set('a', result(1), 60_000);
    await cache.set('b', result(2), 60_000);
    await cache.get('a'); // a is now more recent than b
    await cache.set('c', result(3), 60_000);
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('a')).toEqual(result(1));
    expect(await cache.get('c')).toEqual(result(3));
  });

  it('does not store an entry with no time to live', async () => {
    const cache = new InMemoryCardCheckCache();
    await cache.set('a', result(1), 0);
    expect(await cache.get('a')).toBeUndefined();
  });

  it('refuses a size bound that is not a positive integer', () => {
    expect(() => new InMemoryCardCheckCache({ maxEntries: 0 })).toThrow('maxEntries');
  });
});
