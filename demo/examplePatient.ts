import type { Population, SyntheticPerson } from './population/types';

/**
 * The demo person to show first: insured with a valid card, treated at two or more hospitals,
 * at least one of which registered them without the national ID (so the answer shows both the
 * VSS record locator and insurance-number matching at work). Deterministic for a population.
 */
export function examplePatient(population: Population): SyntheticPerson {
  const multiSite = population.people.filter((p) => p.card?.resultCode === '000' && new Set(p.records.map((r) => r.facilityCode)).size >= 2);
  const best = multiSite.find((p) => p.records.some((r) => !r.hasNationalId && r.hasInsuranceNumber)) ?? multiSite[0] ?? population.people[0];
  if (!best) throw new Error('the demo population is empty');
  return best;
}

/** The query of the README and of `npm start`'s banner. */
export function examplePatientQuery(nationalId: string): string {
  return `{ patient(nationalId: "${nationalId}") {
    nationalId name { full } birthDate gender facilityCodes
    encounters { id period { start end } source { facilityCode facilityName } match { method confidence }
                 diagnoses { code { system code display } } }
    insuranceCard { number status validTo }
    insuredVisits { facilityCode admittedAt dischargedAt }
} }`;
}
