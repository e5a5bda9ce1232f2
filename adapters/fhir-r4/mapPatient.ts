import type { HumanName, Identifier, Patient } from '@medplum/fhirtypes';
import type { SourcePatient } from '../sdk/ClinicalAdapter';
import type { AdministrativeGender, DeceasedRecord } from '../../contracts/model/patient';
import type { IdentifierSystems } from './identifierSystems';
import { toBirthDate } from './toBirthDate';
import { toPartialDateTime } from './toPartialDateTime';

const GENDERS: Readonly<Record<string, AdministrativeGender>> = { male: 'MALE', female: 'FEMALE', other: 'OTHER', unknown: 'UNKNOWN' };

/**
 * A FHIR Patient as a match candidate (patient.html): `Patient.id` is the local id; every current
 * `Patient.identifier` is served (`identifiers`) with its own system; the national
 * ID and insurance number come from `Patient.identifier` in the configured systems (an identifier
 * with `use: old` is ignored); the name from `Patient.name` (official, else usual, else the first
 * current one: `HumanName.text`, else family then given, the Vietnamese order); `birthDate` as written, or
 * the year alone (`YYYY`) when only a year or a month is given (`toBirthDate`: it is a match key); `gender` from AdministrativeGender; `deceased` from
 * deceasedBoolean or deceasedDateTime (a date of death at its recorded precision). Null for a Patient without a usable id.
 */
export function mapPatient(patient: Patient, systems: IdentifierSystems): SourcePatient | null {
  if (typeof patient.id !== 'string' || patient.id === '') return null;
  const deceased = deceasedOf(patient);
  const identifiers = (Array.isArray(patient.identifier) ? patient.identifier : []).filter(isCurrentIdentifier);
  return {
    localId: patient.id,
    nationalId: identifierValue(identifiers, systems.nationalId),
    insuranceNumber: identifierValue(identifiers, systems.insuranceCard) ?? identifierValue(identifiers, systems.socialInsuranceNumber),
    fullName: fullNameOf(Array.isArray(patient.name) ? patient.name : []),
    birthDate: toBirthDate(patient.birthDate),
    gender: typeof patient.gender === 'string' ? (GENDERS[patient.gender] ?? null) : null,
    // Patient.identifier as the server holds it, whatever the system (contract sourceIdentifiers).
    identifiers: identifiers.map((identifier) => ({ system: identifier.system as string, value: (identifier.value as string).trim() })),
    ...(deceased ? { deceased } : {}),
  };
}

/**
 * FHIR Patient.deceased[x] (patient.html#Patient.deceased_x_): a boolean, or a dateTime that implies
 * the patient has died. Absent, or a dateTime that is not a date, says nothing: null.
 */
function deceasedOf(patient: Patient): DeceasedRecord | null {
  if (typeof patient.deceasedBoolean === 'boolean') return { deceased: patient.deceasedBoolean, deceasedAt: null };
  const at = toPartialDateTime(patient.deceasedDateTime);
  return at === null ? null : { deceased: true, deceasedAt: at };
}

function isCurrentIdentifier(identifier: Identifier | undefined): identifier is Identifier {
  return identifier !== null && typeof identifier === 'object' && identifier.use !== 'old'
    && typeof identifier.system === 'string' && typeof identifier.value === 'string' && identifier.value.trim() !== '';
}

/** The first identifier in any of the systems, in the order the systems are configured. */
function identifierValue(identifiers: readonly Identifier[], systems: readonly string[]): string | null {
  for (const system of systems) {
    const found = identifiers.find((identifier) => identifier.system === system);
    if (found?.value !== undefined) return found.value.trim();
  }
  return null;
}

function fullNameOf(names: readonly HumanName[]): string | null {
  const usable = names.filter((name) => name !== null && typeof name === 'object');
  const name = usable.find((n) => n.use === 'official') ?? usable.find((n) => n.use === 'usual')
    ?? usable.find((n) => n.use !== 'old' && n.use !== 'maiden') ?? usable[0];
  if (!name) return null;
  if (typeof name.text === 'string' && name.text.trim() !== '') return name.text.trim();
  const parts = [name.family, ...(Array.isArray(name.given) ? name.given : [])].filter(
    (part): part is string => typeof part === 'string' && part.trim() !== '',
  );
  return parts.length > 0 ? parts.join(' ') : null;
}
