import type { Patient } from '@medplum/fhirtypes';
import type { PatientLookup } from '../sdk/ClinicalAdapter';
import { isIsoDate } from '../../contracts/scalars';
import { tokenSearchValue } from './escapeSearchValue';
import type { IdentifierSystems } from './identifierSystems';

/** What to ask a FHIR server for one patient lookup, and how to check what it answers. */
export interface PatientSearchTerms {
  /** `Patient?identifier=` values (`system|value`, escaped): national IDs and BHXH codes in every configured system. */
  readonly identifierTokens: readonly string[];
  /** `Patient?birthdate=` values: the lookup's birth dates that are real `YYYY-MM-DD` dates. */
  readonly birthDates: readonly string[];
  /**
   * Whether a Patient the server returned really holds one of the looked-up identifiers (exactly,
   * in a configured system) or birth dates. Servers over-match: Medplum 4.5.2 splits an escaped
   * `\|` inside a token value, and FHIR servers ignore search parameters they do not support
   * (returning everyone). What the server says is a candidate is checked, not trusted.
   */
  accepts(patient: Patient): boolean;
}

/**
 * The search terms of a lookup (ClinicalAdapter.findPatients): national IDs under the national-ID
 * systems, BHXH codes under the BHXH-code systems; birth dates only if they are dates (a value that
 * is not a date can match no birth date, and a server would reject the whole search for it).
 */
export function patientSearchTerms(lookup: PatientLookup, systems: IdentifierSystems): PatientSearchTerms {
  const wanted = new Map<string, Set<string>>();
  const want = (values: readonly string[], inSystems: readonly string[]): void => {
    for (const system of inSystems) {
      const set = wanted.get(system) ?? new Set<string>();
      for (const value of values) if (typeof value === 'string' && value !== '') set.add(value);
      wanted.set(system, set);
    }
  };
  want(lookup.nationalIds, systems.nationalId);
  want(lookup.socialInsuranceNumbers, systems.socialInsuranceNumber);
  const birthDates = new Set(lookup.birthDates.filter((date) => isIsoDate(date)));
  return {
    identifierTokens: [...wanted].flatMap(([system, values]) => [...values].map((value) => tokenSearchValue(system, value))),
    birthDates: [...birthDates],
    accepts: (patient) =>
      (typeof patient.birthDate === 'string' && birthDates.has(patient.birthDate))
      || (Array.isArray(patient.identifier) && patient.identifier.some((identifier) =>
        typeof identifier?.system === 'string' && typeof identifier.value === 'string'
        && (wanted.get(identifier.system)?.has(identifier.value.trim()) ?? false))),
  };
}
