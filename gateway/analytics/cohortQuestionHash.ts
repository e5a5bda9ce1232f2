import { createHash } from 'node:crypto';
import type { CohortDetail } from './CohortDetail';

/** The filters that make a cohort question (the contract's `cohort` arguments except `first` and `after`; `detail` included, so a cursor stays at its level). */
export interface CohortFilters {
  readonly facilityCodes: readonly string[] | null;
  readonly from: string | null;
  readonly to: string | null;
  readonly icd10Prefixes: readonly string[] | null;
  readonly encounterClasses: readonly string[] | null;
  readonly project: string | null;
  readonly detail: CohortDetail;
}

/**
 * SHA-256 (hex) of a cohort question's filters in canonical form (lists sorted and de-duplicated,
 * prefixes upper-case): the sealed cursor carries it, so a cursor only continues the question it
 * was made for (gateway/analytics/CohortCursorCodec.ts). `first` is not part of it: the page size
 * may change between pages. Pure.
 */
export function cohortQuestionHash(filters: CohortFilters): string {
  const list = (values: readonly string[] | null): string[] | null => (values === null ? null : [...new Set(values)].sort());
  const canonical = JSON.stringify([
    list(filters.facilityCodes),
    filters.from,
    filters.to,
    list(filters.icd10Prefixes?.map((p) => p.toUpperCase()) ?? null),
    list(filters.encounterClasses),
    filters.project,
    filters.detail,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
