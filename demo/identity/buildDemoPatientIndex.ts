import { socialInsuranceNumberOf } from '../../core/identifiers/insuranceNumber';
import { IDENTIFIER_SYSTEMS, type Identifier } from '../../contracts/model/patient';
import type { IndexedPatient } from '../../subgraphs/identity/PatientIndex';
import type { Population, SyntheticPerson } from '../population/types';

/**
 * The demo's patient index. Like a real master patient index fed by hospital registrations, it
 * links only records registered with the national ID, plus uninsured people's records (no VSS
 * history can locate those). Insured visits registered without the national ID are found through
 * the VSS visit history instead — so the demo exercises both halves of the record locator.
 */
export function buildDemoPatientIndex(population: Population): IndexedPatient[] {
  return population.people.map(toIndexedPatient);
}

function toIndexedPatient(person: SyntheticPerson): IndexedPatient {
  const linked = person.records.filter((r) => r.hasNationalId || person.insuranceNumber === null);
  return {
    nationalId: person.nationalId,
    name: person.name,
    birthDate: person.birthDate,
    gender: person.gender,
    insuranceNumber: person.insuranceNumber,
    identifiers: identifiersOf(person, linked.map((r) => ({ facilityCode: r.facilityCode, localId: r.localPatientId }))),
    linkedFacilityCodes: [...new Set(linked.map((r) => r.facilityCode))],
  };
}

function identifiersOf(person: SyntheticPerson, records: readonly { facilityCode: string; localId: string }[]): Identifier[] {
  const identifiers: Identifier[] = [
    { type: 'NATIONAL_ID', system: IDENTIFIER_SYSTEMS.NATIONAL_ID, value: person.nationalId, assigner: null },
  ];
  if (person.insuranceNumber) {
    identifiers.push({ type: 'INSURANCE_CARD', system: IDENTIFIER_SYSTEMS.INSURANCE_CARD, value: person.insuranceNumber, assigner: null });
    const bhxh = socialInsuranceNumberOf(person.insuranceNumber);
    if (bhxh) identifiers.push({ type: 'SOCIAL_INSURANCE_NUMBER', system: IDENTIFIER_SYSTEMS.SOCIAL_INSURANCE_NUMBER, value: bhxh, assigner: null });
  }
  for (const record of records) {
    identifiers.push({ type: 'MEDICAL_RECORD_NUMBER', system: `${IDENTIFIER_SYSTEMS.MEDICAL_RECORD_NUMBER}:${record.facilityCode}`, value: record.localId, assigner: record.facilityCode });
  }
  return identifiers;
}
