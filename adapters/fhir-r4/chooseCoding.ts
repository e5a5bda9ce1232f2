import type { CodeableConcept, Coding as FhirCoding } from '@medplum/fhirtypes';
import { CODE_SYSTEMS, type Coding } from '../../contracts/model/clinical';
import { FHIR_SYSTEMS } from './fhirSystems';

/**
 * System URIs a source may use for the two classifications the contract names: each is read as
 * the canonical URI (`http://hl7.org/fhir/sid/icd-10`, `http://loinc.org`). ICD-10-CM is read as
 * ICD-10 with the code cut to WHO's shape (see fromIcd10Cm); other national modifications keep
 * their own system.
 */
export interface CodeSystemAliases {
  readonly icd10: readonly string[];
  readonly loinc: readonly string[];
}

/** The canonical URIs and their HL7 OIDs (ICD-10 2.16.840.1.113883.6.3, LOINC 2.16.840.1.113883.6.1). */
export const DEFAULT_CODE_SYSTEM_ALIASES: CodeSystemAliases = {
  icd10: [CODE_SYSTEMS.ICD10, 'urn:oid:2.16.840.1.113883.6.3'],
  loinc: [CODE_SYSTEMS.LOINC, 'urn:oid:2.16.840.1.113883.6.1'],
};

/** Which coding of a CodeableConcept the contract shows: diagnoses prefer ICD-10, results LOINC. */
export type CodingPreference = 'ICD10' | 'LOINC' | 'FIRST';

/**
 * The one `Coding` the contract shows for a FHIR CodeableConcept (datatypes.html#CodeableConcept),
 * chosen deterministically: the first coding of the preferred classification, else the first
 * coding with a code. Systems are normalized (aliases → canonical URI); the display falls back to
 * `CodeableConcept.text`. A concept with text only — or nothing — becomes data-absent-reason
 * `unknown` with that text, because the contract's `code` is required and inventing one is worse.
 */
export function chooseCoding(concept: CodeableConcept | undefined, preference: CodingPreference, aliases: CodeSystemAliases): Coding {
  const text = typeof concept?.text === 'string' && concept.text.trim() !== '' ? concept.text : null;
  const given = Array.isArray(concept?.coding) ? concept.coding : [];
  const codings = given.map((coding) => normalize(coding, aliases)).filter((coding): coding is Coding => coding !== null);
  const preferredSystem = preference === 'ICD10' ? CODE_SYSTEMS.ICD10 : preference === 'LOINC' ? CODE_SYSTEMS.LOINC : undefined;
  // A WHO ICD-10 coding the source gave beats one read from its ICD-10-CM coding.
  const native = given.some((coding) => coding?.system === ICD10_CM)
    ? given.filter((coding) => coding?.system !== ICD10_CM).map((coding) => normalize(coding, aliases)).find((coding) => coding?.system === preferredSystem)
    : undefined;
  const chosen = native ?? codings.find((coding) => coding.system === preferredSystem) ?? codings[0];
  if (!chosen) return { system: FHIR_SYSTEMS.DATA_ABSENT_REASON, code: 'unknown', display: text };
  return { ...chosen, display: chosen.display ?? text };
}

/** ICD-10-CM, the US clinical modification of ICD-10 (what Synthea and US Core send). */
export const ICD10_CM = 'http://hl7.org/fhir/sid/icd-10-cm';
/** An ICD-10 code as WHO writes it: a category (A00) and at most one subdivision digit (A00.0). */
const WHO_ICD10_CODE = /^([A-Z]\d{2})(?:\.?(\d))?/;

function normalize(coding: FhirCoding | undefined, aliases: CodeSystemAliases): Coding | null {
  if (coding === null || typeof coding !== 'object') return null;
  const code = typeof coding.code === 'string' ? coding.code.trim() : '';
  if (code === '') return null;
  const system = typeof coding.system === 'string' && coding.system.trim() !== '' ? coding.system.trim() : null;
  if (system === ICD10_CM) return fromIcd10Cm(code, coding.display);
  return {
    system: system === null ? null : aliases.icd10.includes(system) ? CODE_SYSTEMS.ICD10 : aliases.loinc.includes(system) ? CODE_SYSTEMS.LOINC : system,
    code,
    display: typeof coding.display === 'string' && coding.display.trim() !== '' ? coding.display : null,
  };
}

/**
 * An ICD-10-CM code read as ICD-10 (the classification the contract and diagnosisCounts use):
 * ICD-10-CM extends WHO's codes with more characters after the subdivision, so the code is cut to
 * WHO's shape (E11.65 → E11.6, J45.909 → J45.9, I10 → I10) and keeps its display only when nothing
 * was cut (the longer code's display would claim too much). A code that does not start like an
 * ICD-10 code keeps the ICD-10-CM system.
 */
function fromIcd10Cm(code: string, display: string | undefined): Coding {
  const text = typeof display === 'string' && display.trim() !== '' ? display : null;
  const m = WHO_ICD10_CODE.exec(code.toUpperCase());
  if (!m?.[1]) return { system: ICD10_CM, code, display: text };
  const who = m[2] === undefined ? m[1] : `${m[1]}.${m[2]}`;
  return { system: CODE_SYSTEMS.ICD10, code: who, display: who === code ? text : null };
}
