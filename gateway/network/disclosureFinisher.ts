import { discloseCells, discloseTotal } from '../analytics/discloseCounts';
import type { DisclosurePolicy } from '../analytics/DisclosurePolicy';
import { INTERNAL_ALIASES } from './internalAliases';
import type { MergeFinisher, Row } from './mergeFieldValues';
import type { MergeRule } from './mergeRules';
import type { DisclosurePlan } from './SourceOperation';

/**
 * Disclosure control as a merge step (docs/analytics.md): runs on the network-wide cells, after
 * rows of every hospital are added up and before they are sorted and truncated — so suppression
 * sees the whole table, and neither the order nor `first` reveals a suppressed count.
 */
export function disclosureFinisher(plan: DisclosurePlan, rule: MergeRule, policy: DisclosurePolicy): MergeFinisher {
  return {
    total: (total) => discloseTotal(total, policy).count,
    rows: (rows) => {
      if (plan.kind !== 'rows') return rows;
      const disclosed = discloseCells(
        rows.map((row) => ({ coordinates: [JSON.stringify(row[INTERNAL_ALIASES.groupKey] ?? null)], count: countOf(row) })),
        policy,
      );
      const sortsByCount = rule.orderBy !== null && rule.orderBy.length === 1 && rule.orderBy[0] === rule.disclose?.countField;
      return rows.map((row, index) => {
        const cell = disclosed[index];
        if (!cell) return row;
        const out: Row = { ...row };
        for (const key of plan.countKeys) out[key] = cell.count;
        for (const key of plan.suppressedKeys) out[key] = cell.suppressed;
        for (const key of plan.reasonKeys) out[key] = cell.suppressionReason;
        for (const key of plan.roundedToKeys) out[key] = cell.roundedTo;
        // Sorted by what is released: suppressed cells last, equal rounded counts by source order.
        if (sortsByCount) out[INTERNAL_ALIASES.sortKey] = cell.count;
        return out;
      });
    },
  };
}

function countOf(row: Row): number {
  const value = row[INTERNAL_ALIASES.count];
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
