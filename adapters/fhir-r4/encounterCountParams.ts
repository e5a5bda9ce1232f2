import type { IsoDate } from '../../contracts/model/patient';
import { VIETNAM_OFFSET } from '../../core/time/vietnamTime';
import type { SearchParam } from './FhirSearchClient';

/**
 * The Encounters a population question counts, as FHIR search parameters a server can count
 * exactly (`_summary=count`, search.html#summary) — the same ones the adapter counts when it pages
 * (mapEncounter, startsInWindow):
 * - not `entered-in-error` (`status:not`; an Encounter without a status is counted, as mapped);
 * - starting in a window of Viet Nam dates, inclusive: `date=sa<day before>T23:59:59+07:00` (the
 *   period starts after that second) and `date=lt<day after>T00:00:00+07:00` (it starts before).
 *   `sa` and `lt` test the start of `Encounter.period` (search.html#prefix), unlike `ge`/`le`,
 *   which test overlap; an Encounter without a start matches no `sa`, as it is in no window here.
 *   A window open on one side still asks for a start (`sa0001-01-01`): undated encounters count
 *   only when the window is open on both sides.
 */
export const NOT_ENTERED_IN_ERROR: SearchParam = ['status:not', 'entered-in-error'];

/** `date` parameters for encounters starting from `from` to `to` (Viet Nam dates, inclusive; null: open). */
export function startsBetweenParams(from: IsoDate | null, to: IsoDate | null): SearchParam[] {
  return [
    ['date', from === null ? 'sa0001-01-01' : `sa${shiftDate(from, -1)}T23:59:59${VIETNAM_OFFSET}`],
    ...(to === null ? [] : [['date', `lt${shiftDate(to, 1)}T00:00:00${VIETNAM_OFFSET}`] as const]),
  ];
}

/** The token values of one contract encounter class in `Encounter.class` (v3 ActCode, as mapEncounter reads it). */
export function encounterClassTokens(codes: readonly string[], systems: readonly (string | undefined)[]): string {
  return codes.flatMap((code) => systems.map((system) => (system === undefined ? `|${code}` : `${system}|${code}`))).join(',');
}

export function shiftDate(date: IsoDate, days: number): IsoDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
