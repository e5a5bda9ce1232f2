import { chunkSearchValues, encodedLength } from '../../../../adapters/fhir-r4/chunkSearchValues';

describe('chunkSearchValues', () => {
  const ids = Array.from({ length: 50 }, (_, i) => `Patient/BN${String(1_000_000 + i)}`);

  it('keeps a list that fits in one chunk', () => {
    expect(chunkSearchValues(ids, 100, 10_000)).toEqual({ chunks: [ids], skipped: 0 });
  });

  it('splits a long list so every URL stays within the limit, in order, losing nothing', () => {
    const fixed = 120;
    const max = 600;
    const { chunks, skipped } = chunkSearchValues(ids, fixed, max);
    expect(skipped).toBe(0);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.flat()).toEqual(ids);
    for (const chunk of chunks) {
      expect(fixed + encodedLength(chunk.join(','))).toBeLessThanOrEqual(max);
    }
  });

  it('needs the same number of chunks for any batch of the same size and id shape', () => {
    const other = Array.from({ length: 50 }, (_, i) => `Patient/BN${String(8_000_000 + i)}`);
    expect(chunkSearchValues(other, 120, 600).chunks.length).toBe(chunkSearchValues(ids, 120, 600).chunks.length);
  });

  it('drops duplicates and skips a value that fits in no URL', () => {
    const { chunks, skipped } = chunkSearchValues(['a', 'a', 'x'.repeat(1000), 'b'], 100, 200);
    expect(chunks).toEqual([['a', 'b']]);
    expect(skipped).toBe(1);
  });
});
