import { toVietnamDate } from '../../core/time/vietnamTime';
import type { Population } from '../../demo/population/types';

/** An encounter of a cohort question as the generated population holds it (what the sources hold). */
export interface DirectCohortRow {
  readonly facilityCode: string;
  readonly encounterId: string;
  readonly person: string;
  readonly province: string;
  readonly month: string;
  readonly encounterClass: string;
  /** Main diagnosis first, then the others by rank. */
  readonly codes: readonly string[];
}

/**
 * The encounters a cohort question selects, straight from the generated population: those of the
 * facilities, starting in the window (Viet Nam dates), with a code matching a prefix (dots ignored).
 */
export function directCohortRows(population: Population, facilityCodes: readonly string[], from: string, to: string, prefixes: readonly string[] | null): DirectCohortRow[] {
  return facilityCodes.flatMap((code) =>
    population.people.flatMap((person) =>
      person.records.filter((r) => r.facilityCode === code).flatMap((record) =>
        record.resources.encounters.flatMap((encounter) => {
          const start = encounter.period.start === null ? Number.NaN : Date.parse(encounter.period.start);
          if (Number.isNaN(start)) return [];
          const date = toVietnamDate(new Date(start));
          if (date < from || date > to) return [];
          const codes = [...encounter.diagnoses].sort((a, b) => (a.role === b.role ? a.rank - b.rank : a.role === 'PRIMARY' ? -1 : 1)).map((d) => d.code.code);
          if (prefixes !== null && !codes.some((c) => prefixes.some((p) => c.replace('.', '').startsWith(p.replace('.', ''))))) return [];
          return [{ facilityCode: code, encounterId: encounter.id, person: person.nationalId, province: code.slice(0, 2), month: date.slice(0, 7), encounterClass: encounter.class, codes }];
        }),
      ),
    ),
  );
}
