import { INTERNAL_ALIASES, stripInternalAliases } from './internalAliases';
import type { MergeRule } from './mergeRules';

export type Row = Record<string, unknown>;

/** A step between grouping and sorting (disclosure control): sees every merged row, untruncated. */
export interface MergeFinisher {
  rows(rows: Row[]): Row[];
  total(total: number): unknown;
}

/**
 * Merges one field's values from several sources, given in configured source order, by its
 * contract rule (docs/architecture.md §3 step 3). Pure and deterministic: equal inputs give equal outputs
 * whatever order the sources answered in. `limit` truncates after merging, `finish` and sorting.
 */
export function mergeFieldValues(rule: MergeRule, values: readonly unknown[], limit: number | null, finish?: MergeFinisher): unknown {
  switch (rule.strategy) {
    case 'CONCAT':
      return finishList(values.flatMap((v) => (Array.isArray(v) ? (v as unknown[]) : [])), rule, limit);
    case 'SUM': {
      const total = values.reduce<number>((sum, v) => (typeof v === 'number' ? sum + v : sum), 0);
      return finish ? finish.total(total) : total;
    }
    case 'SUM_BY_KEY': {
      const rows = sumRowsByKey(values.flatMap((v) => (Array.isArray(v) ? (v as unknown[]) : [])));
      return finishList(finish ? finish.rows(rows) : rows, rule, limit);
    }
    case 'COHORT':
      // Each source pages from its own place: merged by mergeCohortPages, never here.
      throw new Error('cohort pages are merged by mergeCohortPages');
  }
}

/**
 * Groups rows by their group key; numeric fields add up (the numeric sort key too, so rows sort by
 * their totals), pseudonym lists (`@disclose(distinct:)`) are joined, other fields keep the first value.
 */
function sumRowsByKey(rows: readonly unknown[]): Row[] {
  const groups = new Map<string, Row>();
  for (const row of rows) {
    if (row === null || typeof row !== 'object') continue;
    const values = row as Row;
    const key = JSON.stringify(values[INTERNAL_ALIASES.groupKey] ?? null);
    const group = groups.get(key);
    if (!group) {
      groups.set(key, { ...values });
      continue;
    }
    for (const [field, value] of Object.entries(values)) {
      const current = group[field];
      if (typeof value === 'number' && typeof current === 'number' && field !== INTERNAL_ALIASES.groupKey) {
        group[field] = current + value;
      } else if (field === INTERNAL_ALIASES.distinct && Array.isArray(value) && Array.isArray(current)) {
        group[field] = [...(current as unknown[]), ...(value as unknown[])];
      } else if (current === undefined || current === null) {
        group[field] = value;
      }
    }
  }
  return [...groups.values()];
}

function finishList(items: readonly unknown[], rule: MergeRule, limit: number | null): unknown[] {
  const ordered = rule.orderBy ? stableSort(items, rule) : [...items];
  const limited = limit !== null && limit >= 0 ? ordered.slice(0, limit) : ordered;
  return limited.map(stripInternalAliases);
}

/** Sorts by the sort-key alias; nulls last in both directions; ties keep source order (stable). */
function stableSort(items: readonly unknown[], rule: MergeRule): unknown[] {
  const path = (rule.orderBy ?? []).slice(1);
  const sign = rule.direction === 'DESC' ? -1 : 1;
  return items
    .map((item, index) => ({ item, index, key: sortValue(item, path) }))
    .sort((a, b) => {
      if (a.key === b.key) return a.index - b.index;
      if (a.key === null) return 1;
      if (b.key === null) return -1;
      return (a.key < b.key ? -1 : 1) * sign;
    })
    .map((entry) => entry.item);
}

function sortValue(item: unknown, path: readonly string[]): string | number | null {
  let value: unknown = item !== null && typeof item === 'object' ? (item as Row)[INTERNAL_ALIASES.sortKey] : undefined;
  for (const step of path) {
    value = value !== null && typeof value === 'object' ? (value as Row)[step] : undefined;
  }
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return sortableString(value);
  return null;
}

/** ISO date-times with offsets sort by instant, not by text; other strings sort as text. */
function sortableString(value: string): string | number {
  if (/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const instant = Date.parse(value);
    if (!Number.isNaN(instant)) return instant;
  }
  return value;
}
