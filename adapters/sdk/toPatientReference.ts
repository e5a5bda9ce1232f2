import { PatientGraphError } from '../../core/errors/PatientGraphError';
import { parseNationalId } from '../../core/identifiers/nationalId';
import type { AdministrativeGender, PatientKeys } from '../../contracts/model/patient';
import { WITHHELD_CATEGORIES_KEY } from '../../core/consent/consentRepresentationKeys';
import { isSensitiveCategory, type SensitiveCategory } from '../../core/consent/sensitiveCategories';

/**
 * A `Patient` entity as the clinical subgraph holds it: the key plus the `@requires`d locator and
 * match keys, exactly as the federation `_entities` representation carried them
 * (`{ __typename, nationalId, facilityCodes, insuranceNumber, name { full }, birthDate, gender }`).
 * They are kept on the entity because the clinical fields resolve from them.
 */
export interface PatientReference {
  readonly nationalId: string;
  readonly facilityCodes: readonly string[];
  readonly insuranceNumber: string | null;
  readonly name: { readonly full: string } | null;
  readonly birthDate: string | null;
  readonly gender: AdministrativeGender | null;
  /** Sensitive categories the patient withholds (consent), sent by the gateway with the request. */
  readonly withheldCategories: readonly SensitiveCategory[];
}


const GENDERS: readonly AdministrativeGender[] = ['MALE', 'FEMALE', 'OTHER', 'UNKNOWN'];

/**
 * Reads a representation. The key must be a well-formed national ID (INVALID_IDENTIFIER
 * otherwise; the value is not echoed). Missing or malformed match keys are treated as unknown:
 * the person is then matched by the rules the remaining keys allow.
 */
export function toPatientReference(representation: unknown): PatientReference {
  const rep = isRecord(representation) ? representation : {};
  const nationalId = rep.nationalId;
  if (typeof nationalId !== 'string' || parseNationalId(nationalId).kind !== 'valid') {
    throw new PatientGraphError('INVALID_IDENTIFIER', 'a Patient representation carries no well-formed national ID');
  }
  const name = isRecord(rep.name) && typeof rep.name.full === 'string' ? { full: rep.name.full } : null;
  return {
    nationalId,
    facilityCodes: Array.isArray(rep.facilityCodes) ? rep.facilityCodes.filter((c): c is string => typeof c === 'string') : [],
    insuranceNumber: typeof rep.insuranceNumber === 'string' ? rep.insuranceNumber : null,
    name,
    birthDate: typeof rep.birthDate === 'string' ? rep.birthDate : null,
    gender: GENDERS.find((g) => g === rep.gender) ?? null,
    withheldCategories: Array.isArray(rep[WITHHELD_CATEGORIES_KEY]) ? (rep[WITHHELD_CATEGORIES_KEY] as unknown[]).filter(isSensitiveCategory) : [],
  };
}

/** The match keys of a patient entity (input of `matchPatients`). */
export function patientKeysOf(patient: PatientReference): PatientKeys {
  return {
    nationalId: patient.nationalId,
    insuranceNumber: patient.insuranceNumber,
    fullName: patient.name?.full ?? null,
    birthDate: patient.birthDate,
    gender: patient.gender,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
