import { DEFAULT_DISCLOSURE_POLICY } from '../../../../gateway/analytics/DisclosurePolicy';
import { roundAmount } from '../../../../gateway/analytics/roundAmount';

describe('roundAmount: money sums released to significant figures', () => {
  it.each([
    [123_456_789, 123_000_000],
    [125_500_000, 126_000_000],
    [9_876_543, 9_880_000],
    [4_500, 4_500],
    [999, 999],
    [0, 0],
  ])('%d VND → %d with the default three figures', (amount, released) => {
    expect(roundAmount(amount, DEFAULT_DISCLOSURE_POLICY)).toBe(released);
  });

  it('follows the configured figures, and leaves amounts exact when rounding is off', () => {
    expect(roundAmount(123_456_789, { ...DEFAULT_DISCLOSURE_POLICY, amountSignificantFigures: 2 })).toBe(120_000_000);
    expect(roundAmount(123_456_789, { threshold: 10, rounding: { method: 'none' } })).toBe(123_456_789);
  });

  it('blurs the difference of two sums that differ by one encounter', () => {
    // A 150,000 VND outpatient visit added to a 412,300,000 VND cell does not show in what is released.
    expect(roundAmount(412_300_000, DEFAULT_DISCLOSURE_POLICY)).toBe(roundAmount(412_300_000 + 150_000, DEFAULT_DISCLOSURE_POLICY));
  });
});
