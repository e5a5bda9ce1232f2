import { addDays } from './isoDays';
import { DEFAULT_READMISSION_DAYS, type PopulationQuery } from './PopulationQuery';

/**
 * How many days before the window a READMISSIONS question looks for admissions: an index stay is
 * discharged in the window but may have been admitted before it. Stays admitted longer ago than
 * this are not read (a stay over a year long is not an index stay; docs/analytics.md).
 */
export const READMISSION_LOOKBACK_DAYS = 365;

/**
 * The admissions (encounter starts, Viet Nam dates, inclusive) a source reads to answer a
 * question. The question's own window, except for READMISSIONS: from {@link READMISSION_LOOKBACK_DAYS}
 * before it (index stays admitted before the window and discharged in it) to `readmissionDays`
 * after it (a readmission may fall after the window's end). Pure.
 */
export function populationReadWindow(query: Pick<PopulationQuery, 'measure' | 'from' | 'to' | 'readmissionDays'>): { readonly from: string | null; readonly to: string | null } {
  if (query.measure !== 'READMISSIONS') return { from: query.from, to: query.to };
  return {
    from: query.from === null ? null : addDays(query.from, -READMISSION_LOOKBACK_DAYS),
    to: query.to === null ? null : addDays(query.to, query.readmissionDays ?? DEFAULT_READMISSION_DAYS),
  };
}
