import type { AnalyticsFilter } from '../sdk/ClinicalAdapter';
import type { Encounter } from '../../contracts/model/clinical';
import { toVietnamDate } from '../../core/time/vietnamTime';
import type { SearchParam } from './FhirSearchClient';

/**
 * Whether an encounter starts within an analytics window (dates inclusive, Viet Nam calendar, as
 * the clinical contract defines `from`/`to`). Without a window every encounter counts, undated
 * ones too; with one, an encounter without a start does not.
 */
export function startsInWindow(encounter: Encounter, filter: AnalyticsFilter): boolean {
  if (filter.from === null && filter.to === null) return true;
  const start = encounter.period.start === null ? NaN : Date.parse(encounter.period.start);
  if (Number.isNaN(start)) return false;
  const date = toVietnamDate(new Date(start));
  return (filter.from === null || date >= filter.from) && (filter.to === null || date <= filter.to);
}

/**
 * `Encounter?date=` parameters that return at least the encounters starting in the window. FHIR's
 * `date` on Encounter is `Encounter.period` and `ge`/`le` test overlap, not the start; servers also
 * read a bare date in their own time zone. So the search is widened by a day on each side and
 * `startsInWindow` decides exactly.
 */
export function windowSearchParams(filter: AnalyticsFilter): SearchParam[] {
  const params: SearchParam[] = [];
  if (filter.from !== null) params.push(['date', `ge${shiftDate(filter.from, -1)}`]);
  if (filter.to !== null) params.push(['date', `le${shiftDate(filter.to, 1)}`]);
  return params;
}

function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
