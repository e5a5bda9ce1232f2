import { discloseCells, discloseTotal } from '../analytics/discloseCounts';
import type { DisclosurePolicy } from '../analytics/DisclosurePolicy';
import { roundAmount } from '../analytics/roundAmount';
import { INTERNAL_ALIASES } from './internalAliases';
import type { MergeFinisher, Row } from './mergeFieldValues';
import type { MergeRule } from './mergeRules';
import type { DisclosurePlan } from './SourceOperation';

/** How many cells of one aggregate disclosure control released and suppressed (for the audit record). */
export interface DisclosedCellCounts {
  readonly released: number;
  readonly suppressed: number;
}

/**
 * Disclosure control as a merge step (docs/analytics.md): runs on the network-wide cells, after
 * rows of every hospital are added up and before they are sorted and truncated — so suppression
 * sees the whole table, and neither the order nor `first` reveals a suppressed count.
 */
export function disclosureFinisher(
  plan: DisclosurePlan,
  rule: MergeRule,
  policy: DisclosurePolicy,
  report: (cells: DisclosedCellCounts) => void = () => undefined,
): MergeFinisher {
  return {
    total: (total) => {
      const disclosed = discloseTotal(total, policy);
      report({ released: disclosed.suppressed ? 0 : 1, suppressed: disclosed.suppressed ? 1 : 0 });
      return disclosed.count;
    },
    rows: (rows) => {
      if (plan.kind !== 'rows') return rows;
      const disclosed = discloseCells(
        rows.map((row) => ({ coordinates: coordinatesOf(row[INTERNAL_ALIASES.groupKey]), count: countOf(row) })),
        policy,
      );
      const suppressed = disclosed.filter((cell) => cell.suppressed).length;
      report({ released: disclosed.length - suppressed, suppressed });
      const sortsByCount = rule.orderBy !== null && rule.orderBy.length === 1 && rule.orderBy[0] === rule.disclose?.countField;
      return rows.map((row, index) => {
        const cell = disclosed[index];
        if (!cell) return row;
        const out: Row = { ...row };
        for (const key of plan.countKeys) out[key] = cell.count;
        for (const key of plan.suppressedKeys) out[key] = cell.suppressed;
        for (const key of plan.reasonKeys) out[key] = cell.suppressionReason;
        for (const key of plan.roundedToKeys) out[key] = cell.roundedTo;
        // Money goes with its count: a sum over fewer people than the threshold would disclose them.
        for (const key of plan.amountKeys) out[key] = cell.suppressed ? null : amountOf(row[key], policy);
        // Sorted by what is released: suppressed cells last, equal rounded counts by source order.
        if (sortsByCount) out[INTERNAL_ALIASES.sortKey] = cell.count;
        return out;
      });
    },
  };
}

/**
 * A row's position in its table: a group key written as a JSON array (one value per grouping
 * dimension, as `population` cells are keyed) gives one coordinate per dimension, so that
 * complementary suppression protects every row and column; any other key is one dimension.
 */
function coordinatesOf(groupKey: unknown): string[] {
  if (typeof groupKey === 'string' && groupKey.startsWith('[')) {
    try {
      const values: unknown = JSON.parse(groupKey);
      if (Array.isArray(values)) return values.map((v) => JSON.stringify(v ?? null));
    } catch {
      // Not a JSON array: a one-dimensional key like any other.
    }
  }
  return [JSON.stringify(groupKey ?? null)];
}

/** A released money sum, rounded; a row without one (another measure) keeps null. */
function amountOf(value: unknown, policy: DisclosurePolicy): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? roundAmount(value, policy) : null;
}

/** The true count of a row: the size of its united pseudonyms (distinct people), or its summed count. */
function countOf(row: Row): number {
  const distinct = row[INTERNAL_ALIASES.distinct];
  if (Array.isArray(distinct)) return new Set(distinct).size;
  const value = row[INTERNAL_ALIASES.count];
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
