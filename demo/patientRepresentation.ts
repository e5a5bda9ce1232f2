import type { SyntheticPerson } from './population/types';

/**
 * The federation `_entities` representation the gateway sends a hospital for a demo person: the
 * key plus the `@requires`d locator and match keys of the clinical contract. For tests and
 * benchmarks that call a clinical subgraph directly.
 */
export function patientRepresentation(person: SyntheticPerson): Record<string, unknown> {
  return {
    __typename: 'Patient',
    nationalId: person.nationalId,
    facilityCodes: person.records.map((r) => r.facilityCode),
    insuranceNumber: person.insuranceNumber,
    name: { full: person.name.full },
    birthDate: person.birthDate,
    gender: person.gender,
  };
}
