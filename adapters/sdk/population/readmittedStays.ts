import { ageBand } from './ageBand';
import { dayNumber } from './isoDays';
import { populationReadWindow } from './populationReadWindow';
import { DEFAULT_READMISSION_DAYS, type EncounterFact, type PopulationQuery } from './PopulationQuery';

/** The one encounter class whose stays count for READMISSIONS (QĐ 130 MA_LOAI_KCB 03, FHIR `IMP`). */
export const INPATIENT = 'INPATIENT';

/**
 * The index stays of a READMISSIONS question that were readmitted, as facts dated by their
 * discharge (so the window, MONTH, QUARTER and YEAR apply to the discharge day) with their age
 * band at admission. The definition (docs/analytics.md, "Readmissions"), at one source:
 * - a stay is an encounter of class INPATIENT with a known admission day, admitted within
 *   `populationReadWindow` (up to a year before the window, up to N days after it);
 * - a patient's stays are ordered by admission time (then encounter id); a stay's next admission
 *   is the next stay in that order, whatever its diagnosis (all-cause);
 * - an index stay has a discharge day in the window, not before its admission day; an open stay
 *   (no discharge) is never an index stay, but its admission can readmit an earlier one;
 * - it is readmitted when its next admission falls 1 to N days after its discharge day; a next
 *   admission on the discharge day is a transfer (not a readmission; the later stay is an index
 *   stay of its own), one before it (overlapping stays) is not counted either;
 * - `icd10Prefixes` select index stays (by any diagnosis, the first matching one grouped, as for
 *   ENCOUNTERS); `encounterClasses`, if given, is INPATIENT only (checked by the arguments).
 * Facts are one per encounter here (no `weight`). Pure: the same facts give the same stays in every adapter.
 */
export function readmittedStays(facts: Iterable<EncounterFact>, query: PopulationQuery): EncounterFact[] {
  const days = query.readmissionDays ?? DEFAULT_READMISSION_DAYS;
  const read = populationReadWindow(query);
  const byPatient = new Map<string, EncounterFact[]>();
  for (const fact of facts) {
    if (fact.encounterClass !== INPATIENT || fact.date === null || fact.patient.localId === undefined) continue;
    if ((read.from !== null && fact.date < read.from) || (read.to !== null && fact.date > read.to)) continue;
    const stays = byPatient.get(fact.patient.localId) ?? [];
    stays.push(fact);
    byPatient.set(fact.patient.localId, stays);
  }
  const readmitted: EncounterFact[] = [];
  for (const stays of byPatient.values()) {
    stays.sort(byAdmission);
    stays.forEach((stay, i) => {
      const next = stays[i + 1];
      const discharge = stay.endDate ?? null;
      if (next === undefined || discharge === null || stay.date === null || next.date === null) return;
      if (discharge < stay.date || (query.from !== null && discharge < query.from) || (query.to !== null && discharge > query.to)) return;
      const gap = dayNumber(next.date) - dayNumber(discharge);
      if (isReadmissionGap(gap, days)) readmitted.push(asIndexStay(stay));
    });
  }
  return readmitted;
}

function byAdmission(a: EncounterFact, b: EncounterFact): number {
  const at = (a.startMs ?? 0) - (b.startMs ?? 0);
  if (at !== 0) return at;
  const day = (a.date ?? '') < (b.date ?? '') ? -1 : (a.date ?? '') > (b.date ?? '') ? 1 : 0;
  if (day !== 0) return day;
  const ia = a.encounterId ?? '';
  const ib = b.encounterId ?? '';
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}

/**
 * A readmitted index stay as READMISSIONS counts it: dated by its discharge day (window and
 * periods), with its age band at admission. For a source that found its readmitted stays itself
 * (SQL), then counted by `countPopulation` as ENCOUNTERS.
 */
export function asIndexStay(stay: EncounterFact): EncounterFact {
  return { ...stay, date: stay.endDate ?? null, weight: 1, ageBand: stay.ageBand !== undefined ? stay.ageBand : ageBand(stay.patient.birthDate, stay.date) };
}

/** Whether a next admission `gap` days after the discharge day is a readmission within `days` (a same-day one is a transfer). */
export function isReadmissionGap(gap: number, days: number): boolean {
  return gap >= 1 && gap <= days;
}
