/**
 * How aggregate counts are made safe to release (docs/analytics.md, "Disclosure control"): small
 * cells are suppressed, then every released count is rounded. Applied by the gateway after the
 * answers of every source are merged, before anything leaves.
 */
export interface DisclosurePolicy {
  /** Counts from 1 to `threshold - 1` are suppressed (default 10; never below {@link MIN_THRESHOLD}). */
  readonly threshold: number;
  readonly rounding: RoundingRule;
  /**
   * Money sums (`@disclose(amounts:)`, the COST measure) are rounded to this many significant
   * figures (default {@link DEFAULT_AMOUNT_SIGNIFICANT_FIGURES}); not at all when `rounding` is `none`.
   */
  readonly amountSignificantFigures?: number;
}

export const DEFAULT_AMOUNT_SIGNIFICANT_FIGURES = 3;

/**
 * `nearest`: to the nearest multiple of `base` (halves up). `midpoint`: to the midpoint of the
 * `base`-wide interval holding the count (OpenSAFELY's "midpoint 6" rounding, with `base` 6), which
 * is unbiased where nearest rounding of small counts is not.
 */
export type RoundingRule =
  | { readonly method: 'none' }
  | { readonly method: 'nearest' | 'midpoint'; readonly base: number };

/** Below five, a count and a person are too close; no configuration may go lower. */
export const MIN_THRESHOLD = 5;

export const DEFAULT_DISCLOSURE_POLICY: DisclosurePolicy = {
  threshold: 10,
  rounding: { method: 'nearest', base: 5 },
};

/** The unit released counts are multiples of (1 when counts are not rounded). */
export function roundingUnit(rule: RoundingRule): number {
  return rule.method === 'none' ? 1 : rule.base;
}
