import { toVietnamDate } from '../../core/time/vietnamTime';
import type { Encounter } from '../../contracts/model/clinical';
import type { FacilityRecord, Population, SyntheticPerson } from '../../demo/population/types';

/**
 * Hand-made inpatient stays for the edge cases of READMISSIONS (docs/analytics.md,
 * "Readmissions"), added to a generated population, and the definition counted directly over
 * the charts — the truth every source's answer is compared with.
 */
export const FROM = '2025-06-01';
export const TO = '2025-06-30';

/** Hand-made stays of one person: [admission, discharge] as Viet Nam `YYYY-MM-DD HH:mm`, null discharge: still open. */
const SCENARIOS: readonly (readonly (readonly [string, string | null])[])[] = [
  // Readmitted 14 days after discharge: the first stay counts (not with readmissionDays 10).
  [['2025-06-02 09:00', '2025-06-06 10:00'], ['2025-06-20 09:00', '2025-06-25 10:00']],
  // Two readmissions in a row (7 and 8 days): both earlier stays count.
  [['2025-06-01 09:00', '2025-06-03 10:00'], ['2025-06-10 09:00', '2025-06-12 10:00'], ['2025-06-20 09:00', '2025-06-22 10:00']],
  // Same-day transfer: not a readmission; the second stay is readmitted on 1 July (16 days).
  [['2025-06-05 09:00', '2025-06-08 10:00'], ['2025-06-08 14:00', '2025-06-15 10:00'], ['2025-07-01 09:00', '2025-07-03 10:00']],
  // Readmitted into a stay still open (6 days); the open stay is never an index stay.
  [['2025-06-01 09:00', '2025-06-04 10:00'], ['2025-06-10 09:00', null]],
  // Readmitted after the window's end (17 days): counted in June.
  [['2025-06-25 09:00', '2025-06-28 10:00'], ['2025-07-15 09:00', '2025-07-18 10:00']],
  // Next admission 46 days later: not a readmission.
  [['2025-06-02 09:00', '2025-06-04 10:00'], ['2025-07-20 09:00', '2025-07-22 10:00']],
  // Admitted in May, discharged in the window, readmitted 9 days later.
  [['2025-05-20 09:00', '2025-06-03 10:00'], ['2025-06-12 09:00', '2025-06-14 10:00']],
];

const at = (local: string): string => `${local.replace(' ', 'T')}:00+07:00`;

/** The generated population with the scenarios added twice at each facility, to people without inpatient stays near June 2025 there. */
export function withScenarios(population: Population): Population {
  const added = new Map<string, number>();
  const busy = (record: FacilityRecord): boolean =>
    record.resources.encounters.length === 0 || record.resources.encounters.some((e) => e.class === 'INPATIENT' && (e.period.start ?? '') >= '2025-04' && (e.period.start ?? '') < '2025-09');
  const people = population.people.map((person): SyntheticPerson => ({
    ...person,
    records: person.records.map((record) => {
      const n = added.get(record.facilityCode) ?? 0;
      if (n >= 2 * SCENARIOS.length || busy(record)) return record;
      added.set(record.facilityCode, n + 1);
      const template = record.resources.encounters[0] as Encounter;
      const stays = (SCENARIOS[n % SCENARIOS.length] ?? []).map(([start, end], i): Encounter => ({
        ...template,
        id: `${template.id}R${i}`,
        status: end === null ? 'IN_PROGRESS' : 'FINISHED',
        class: 'INPATIENT',
        period: { start: at(start), end: end === null ? null : at(end) },
      }));
      return { ...record, resources: { ...record.resources, encounters: [...record.resources.encounters, ...stays] } };
    }),
  }));
  return { ...population, people };
}

const dayOf = (instant: string): string => toVietnamDate(new Date(instant));
const daysFrom = (a: string, b: string): number => (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000;

/**
 * The definition, counted directly over one facility's charts, by discharge month: a patient's
 * inpatient stays admitted from a year before the window to N days after it, in order of
 * admission; a stay discharged in the window (not before its admission day) whose next admission
 * is 1 to N days after its discharge day. A null bound: open.
 */
export function directCountsByMonth(population: Population, facilityCode: string, days: number, from: string | null = FROM, to: string | null = TO): Map<string, number> {
  const counts = new Map<string, number>();
  const shift = (date: string, n: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
  const readFrom = from === null ? '' : shift(from, -365);
  const readTo = to === null ? '9999' : shift(to, days);
  for (const person of population.people) {
    for (const record of person.records.filter((r) => r.facilityCode === facilityCode)) {
      const stays = record.resources.encounters
        .filter((e) => e.class === 'INPATIENT' && e.period.start !== null && dayOf(e.period.start) >= readFrom && dayOf(e.period.start) <= readTo)
        .sort((a, b) => Date.parse(a.period.start ?? '') - Date.parse(b.period.start ?? '') || (a.id < b.id ? -1 : 1));
      stays.forEach((stay, i) => {
        const next = stays[i + 1];
        if (!next || stay.period.end === null) return;
        const discharge = dayOf(stay.period.end);
        if ((from !== null && discharge < from) || (to !== null && discharge > to) || discharge < dayOf(stay.period.start ?? '')) return;
        const gap = daysFrom(discharge, dayOf(next.period.start ?? ''));
        if (gap >= 1 && gap <= days) counts.set(discharge.slice(0, 7), (counts.get(discharge.slice(0, 7)) ?? 0) + 1);
      });
    }
  }
  return counts;
}

/** {@link directCountsByMonth} added up. */
export function directCount(population: Population, facilityCode: string, days: number, from: string | null = FROM, to: string | null = TO): number {
  return [...directCountsByMonth(population, facilityCode, days, from, to).values()].reduce((sum, n) => sum + n, 0);
}
