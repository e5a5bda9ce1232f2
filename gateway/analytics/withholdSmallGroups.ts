/** Why rows of a cohort page were withheld (the contract's `CohortWithheldReason`). */
export type CohortWithheldReason = 'COHORT_BELOW_THRESHOLD' | 'GROUP_BELOW_THRESHOLD';

/**
 * What k-anonymity needs of a row: the person (pseudonymous) and every quasi-identifier released
 * of it, at the level it is released (gateway/analytics/generalizeCohortRow.ts).
 */
export interface QuasiIdentifiedRow {
  readonly person: string;
  readonly ageBand: string | null;
  readonly sex: string | null;
  readonly province: string;
  readonly encounterClass: string;
  readonly icd10Codes: readonly string[];
  /** Month (`YYYY-MM`), quarter (`YYYY-Qn`) or year the encounter started, by the level; null when unknown. */
  readonly period: string | null;
}

export interface WithheldRows<R> {
  readonly released: readonly R[];
  readonly withheld: number;
  readonly reason: CohortWithheldReason | null;
}

/**
 * k-anonymity of a cohort page (docs/analytics.md, "De-identified cohort rows"), with k the
 * disclosure threshold: when the page's rows hold fewer distinct people than k, no row is released
 * (`COHORT_BELOW_THRESHOLD`); otherwise a row is released only when its combination of age band,
 * sex, province, encounter class, ICD-10 codes (in their released order) and period — everything
 * released about it — is shared by at least k distinct people on the page (`GROUP_BELOW_THRESHOLD`
 * for the others). Withheld rows are counted, never shown.
 * Counted within the page: a released row's group is at least as large in the whole answer. Pure.
 */
export function withholdSmallGroups<R extends QuasiIdentifiedRow>(rows: readonly R[], threshold: number): WithheldRows<R> {
  if (rows.length === 0) return { released: [], withheld: 0, reason: null };
  if (new Set(rows.map((row) => row.person)).size < threshold) {
    return { released: [], withheld: rows.length, reason: 'COHORT_BELOW_THRESHOLD' };
  }
  const people = new Map<string, Set<string>>();
  for (const row of rows) {
    const key = groupKeyOf(row);
    const group = people.get(key) ?? new Set<string>();
    group.add(row.person);
    people.set(key, group);
  }
  const released = rows.filter((row) => (people.get(groupKeyOf(row))?.size ?? 0) >= threshold);
  const withheld = rows.length - released.length;
  return { released, withheld, reason: withheld > 0 ? 'GROUP_BELOW_THRESHOLD' : null };
}

function groupKeyOf(row: QuasiIdentifiedRow): string {
  return JSON.stringify([row.ageBand, row.sex, row.province, row.encounterClass, row.icd10Codes, row.period]);
}
