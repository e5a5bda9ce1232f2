import { PatientGraphError } from '../../core/errors/PatientGraphError';

/**
 * How coarse cohort rows are (the contract's `CohortDetail`; docs/analytics.md, "Coarser rows"),
 * finest first. Each level is a function of the one before it — a chain, not a choice per column —
 * so two answers of one question at two levels combine into nothing finer than the finer one.
 */
export const COHORT_DETAILS = ['CODES', 'CATEGORY', 'CHAPTER'] as const;

export type CohortDetail = (typeof COHORT_DETAILS)[number];

/** The `detail` argument: the contract's default (CODES) when absent, BAD_USER_INPUT when not a level. */
export function parseCohortDetail(value: unknown): CohortDetail {
  if (value === undefined || value === null) return 'CODES';
  const found = COHORT_DETAILS.find((level) => level === value);
  if (found === undefined) throw new PatientGraphError('BAD_USER_INPUT', `\`detail\` is one of ${COHORT_DETAILS.join(', ')}`);
  return found;
}
