import { textOf, type HisRow } from './hisRowValues';
import type { CodeSystemSource, ValueMapField } from './SqlHisMapping';

/**
 * A code table the mapping declares: an enumeration's `values` (encounter class, gender, diagnosis
 * role, statuses, …) or a code-system `map`. A code found in the database that none covers is
 * served as the field's fallback (or a coding without system): `source serve --check` reports it.
 */
export type DeclaredCodeMap =
  | { readonly kind: 'enumeration'; readonly field: ValueMapField<string> }
  | { readonly kind: 'code-system'; readonly field: Extract<CodeSystemSource, { kind: 'column' }> };

/** Codes of one declared map that the sampled rows hold and the map does not cover, with their counts. */
export interface UncoveredCodes {
  readonly key: string;
  /** What such a row is served as: the enumeration's fallback, or no system. */
  readonly servedAs: string;
  readonly rows: number;
  readonly codes: ReadonlyMap<string, number>;
}

/**
 * Every declared code map of a mapping section, found by walking it (so a field added to the
 * mapping language is checked without being listed here). `skip` names keys read by another
 * statement (a diagnoses child table) or holding no values (joins, filters).
 */
export function declaredCodeMaps(section: object, skip: ReadonlySet<string> = new Set(['joins', 'where'])): DeclaredCodeMap[] {
  const found: DeclaredCodeMap[] = [];
  const visit = (value: unknown, key: string | null): void => {
    if (value === null || typeof value !== 'object' || value instanceof Map || (key !== null && skip.has(key))) return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item, null);
      return;
    }
    const record = value as Record<string, unknown>;
    if (record.kind === 'column' && record.values instanceof Map) {
      found.push({ kind: 'enumeration', field: value as ValueMapField<string> });
    } else if (record.kind === 'column' && record.uris instanceof Map) {
      found.push({ kind: 'code-system', field: value as Extract<CodeSystemSource, { kind: 'column' }> });
    } else {
      for (const [child, item] of Object.entries(record)) visit(item, child);
    }
  };
  for (const [key, value] of Object.entries(section)) visit(value, key);
  return found;
}

/**
 * The codes each map leaves uncovered in `rows`. An enumeration with a declared `default` covers
 * every code; a row an enumeration's `when` decides is covered; NULL and empty are not codes.
 */
export function uncoveredCodes(rows: readonly HisRow[], maps: readonly DeclaredCodeMap[]): UncoveredCodes[] {
  return maps.flatMap((map) => {
    const codes = new Map<string, number>();
    let count = 0;
    if (map.kind === 'enumeration' && map.field.hasDefault) return [];
    for (const row of rows) {
      const code = textOf(row[map.field.column]);
      if (code === null || isCovered(map, row, code)) continue;
      codes.set(code, (codes.get(code) ?? 0) + 1);
      count += 1;
    }
    if (count === 0) return [];
    const servedAs = map.kind === 'enumeration' ? (map.field.fallback ?? 'null') : 'a coding without system';
    return [{ key: map.field.key, servedAs, rows: count, codes }];
  });
}

function isCovered(map: DeclaredCodeMap, row: HisRow, code: string): boolean {
  if (map.kind === 'code-system') return map.field.uris.has(code);
  return map.field.values.has(code) || map.field.overrides.some((o) => textOf(row[o.column]) === o.equals);
}
