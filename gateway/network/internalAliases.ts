import { carryItemMark } from './listItemMark';

/**
 * Aliases the network data source adds to a source operation and removes from the answers: they
 * let it verify the patient, sort merged lists and group sums even when the client did not select
 * those fields. A client alias with the same name is not supported (it would be stripped).
 */
/** Every internal alias starts with this; clients may not use it (gateway/pipeline/reservedAliasStep.ts). */
export const INTERNAL_ALIAS_PREFIX = '_pg';

export const INTERNAL_ALIASES = {
  /** The entity's key, to verify that a source answered for the patient it was asked about. */
  nationalId: '_pgNationalId',
  /** The `@merge(orderBy:)` value of a list item. */
  sortKey: '_pgSortKey',
  /** The `@merge(key:)` value of a SUM_BY_KEY row. */
  groupKey: '_pgGroupKey',
  /** The `@disclose(count:)` value of a row: the true count disclosure control works on. */
  count: '_pgCount',
  /** The `@disclose(distinct:)` pseudonyms of a row, united across sources and never released. */
  distinct: '_pgDistinct',
  /** The `@sensitiveCode(path:)` value of a list item: its ICD-10 code(s), for consent categories. */
  sensitiveCode: '_pgSensitiveCode',
  /** `match { method }` of a clinical item: tells the gateway a source answered through demographics (docs/identity.md §2). */
  matchMethod: '_pgMatchMethod',
} as const;

const ALL = new Set<string>(Object.values(INTERNAL_ALIASES));

/** A copy of `value` without internal aliases at its top level (objects) or in its items (lists). */
export function stripInternalAliases(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripInternalAliases);
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (!ALL.has(key)) copy[key] = field;
  }
  carryItemMark(value, copy);
  return copy;
}
