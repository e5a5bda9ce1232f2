import type { ClinicalResourceKind, ClinicalResources } from '../../contracts/model/clinical';

/**
 * The timestamp each clinical list is ordered by, newest first. Mirrors the contract's
 * `@merge(orderBy: …, direction: DESC)` on the `Patient` fields (contracts/clinical.graphql;
 * a unit test holds the two together), so one hospital's answer is already in contract order.
 */
export const NEWEST_FIRST_PATHS: Readonly<Record<ClinicalResourceKind, string>> = {
  encounters: 'period.start',
  conditions: 'recordedDate',
  observations: 'effectiveDateTime',
  medications: 'authoredOn',
  procedures: 'performedDateTime',
  allergies: 'recordedDate',
};

/**
 * Newest first by instant (not by string: offsets may differ), undated last, then by id so equal
 * inputs always give the same order. Returns a new array.
 */
export function sortNewestFirst<T extends ClinicalResources[ClinicalResourceKind]>(kind: ClinicalResourceKind, items: readonly T[]): T[] {
  const path = NEWEST_FIRST_PATHS[kind].split('.');
  const keyed = items.map((item) => ({ item, time: instantOf(valueAt(item, path)) }));
  keyed.sort((a, b) => {
    if (a.time !== b.time) {
      if (a.time === null) return 1;
      if (b.time === null) return -1;
      return b.time - a.time;
    }
    return a.item.id < b.item.id ? -1 : a.item.id > b.item.id ? 1 : 0;
  });
  return keyed.map(({ item }) => item);
}

function valueAt(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function instantOf(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : time;
}
