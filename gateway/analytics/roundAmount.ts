import { DEFAULT_AMOUNT_SIGNIFICANT_FIGURES, type DisclosurePolicy } from './DisclosurePolicy';

/**
 * Rounds a released money sum (VND) to the policy's significant figures: 123,456,789 → 123,000,000
 * with three. Relative rather than to a fixed unit, so that the blur grows with the sum: two
 * overlapping questions whose cells differ by one encounter cannot be subtracted to read that
 * encounter's cost out of a large total (docs/analytics.md, "Cost"). Zero stays zero; `rounding:
 * none` leaves amounts exact, as it leaves counts.
 */
export function roundAmount(amount: number, policy: DisclosurePolicy): number {
  if (amount === 0 || policy.rounding.method === 'none') return amount;
  const figures = policy.amountSignificantFigures ?? DEFAULT_AMOUNT_SIGNIFICANT_FIGURES;
  const unit = 10 ** Math.max(0, Math.floor(Math.log10(Math.abs(amount))) + 1 - figures);
  return Math.round(amount / unit) * unit;
}
