import type { DemoFacility, Population, SyntheticPerson } from '../population/types';

/**
 * The simulator's view of the population as VSS would hold it: insured people by their 10-digit
 * BHXH code (the stable person key, docs/standards.md §5.1) and everyone by CCCD.
 */
export class VssCardRegistry {
  private readonly byBhxh = new Map<string, SyntheticPerson>();
  private readonly byCccd = new Map<string, SyntheticPerson>();
  private readonly facilities = new Map<string, DemoFacility>();

  constructor(population: Population) {
    for (const person of population.people) {
      this.byCccd.set(person.nationalId, person);
      if (person.insuranceNumber) this.byBhxh.set(person.insuranceNumber.slice(5), person);
    }
    for (const facility of population.facilities) this.facilities.set(facility.code, facility);
  }

  personByBhxhCode(code: string): SyntheticPerson | undefined {
    return this.byBhxh.get(code);
  }

  personByNationalId(nationalId: string): SyntheticPerson | undefined {
    return this.byCccd.get(nationalId);
  }

  facilityName(code: string): string | null {
    return this.facilities.get(code)?.name ?? null;
  }
}
