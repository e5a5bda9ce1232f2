import { roundingUnit, type DisclosurePolicy } from './DisclosurePolicy';
import { roundCount } from './roundCount';
import { suppressSmallCells, type CountCell, type SuppressionReason } from './suppressSmallCells';

/** What may be released of one count. */
export interface DisclosedCount {
  /** The rounded count; null when suppressed. */
  readonly count: number | null;
  readonly suppressed: boolean;
  readonly suppressionReason: SuppressionReason | null;
  /** Released counts are multiples of this (or midpoints of intervals this wide). */
  readonly roundedTo: number;
}

/** Suppression first, on the true counts, then rounding of what is released. */
export function discloseCells(cells: readonly CountCell[], policy: DisclosurePolicy): DisclosedCount[] {
  const suppressed = suppressSmallCells(cells, policy.threshold);
  const roundedTo = roundingUnit(policy.rounding);
  return cells.map((cell, index) => {
    const reason = suppressed.get(index) ?? null;
    return reason === null
      ? { count: roundCount(cell.count, policy.rounding), suppressed: false, suppressionReason: null, roundedTo }
      : { count: null, suppressed: true, suppressionReason: reason, roundedTo };
  });
}

/** A single total (a table with one cell). */
export function discloseTotal(count: number, policy: DisclosurePolicy): DisclosedCount {
  const [disclosed] = discloseCells([{ coordinates: [], count }], policy);
  if (!disclosed) throw new Error('unreachable: one cell in, one cell out');
  return disclosed;
}
