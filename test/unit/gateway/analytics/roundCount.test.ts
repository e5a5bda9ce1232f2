import { roundCount } from '../../../../gateway/analytics/roundCount';

describe('roundCount', () => {
  it('rounds to the nearest multiple of the base, halves up, and keeps zero', () => {
    const rule = { method: 'nearest', base: 5 } as const;
    expect([0, 10, 12, 13, 15, 17, 18, 1002].map((n) => roundCount(n, rule))).toEqual([0, 10, 10, 15, 15, 15, 20, 1000]);
  });

  it('rounds to the midpoint of the interval holding the count (OpenSAFELY midpoint 6)', () => {
    const rule = { method: 'midpoint', base: 6 } as const;
    expect([0, 1, 6, 7, 12, 13, 18].map((n) => roundCount(n, rule))).toEqual([0, 3, 3, 9, 9, 15, 15]);
  });

  it('leaves counts as they are when rounding is off', () => {
    expect(roundCount(13, { method: 'none' })).toBe(13);
  });
});
