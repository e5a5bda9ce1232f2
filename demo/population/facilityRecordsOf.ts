import type { FacilityRecord, Population, SyntheticPerson } from './types';

/** One person's chart at one facility, with the person it belongs to. */
export interface PersonAtFacility {
  readonly person: SyntheticPerson;
  readonly record: FacilityRecord;
}

/** Everything one facility holds, in population order: what a demo hospital adapter serves. */
export function facilityRecordsOf(population: Population, facilityCode: string): readonly PersonAtFacility[] {
  const result: PersonAtFacility[] = [];
  for (const person of population.people) {
    for (const record of person.records) {
      if (record.facilityCode === facilityCode) result.push({ person, record });
    }
  }
  return result;
}
