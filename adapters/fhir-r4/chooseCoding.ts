import type { CodeableConcept, Coding as FhirCoding } from '@medplum/fhirtypes';
import { CODE_SYSTEMS, type Coding } from '../../core/model/clinical';
import { FHIR_SYSTEMS } from './fhirSystems';

/**
 * System URIs a source may use for the two classifications the contract names: each is read as
 * the canonical URI (`http://hl7.org/fhir/sid/icd-10`, `http://loinc.org`). ICD-10-CM and other
 * national modifications are different classifications and keep their own system.
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
  const codings = (Array.isArray(concept?.coding) ? concept.coding : [])
    .map((coding) => normalize(coding, aliases))
    .filter((coding): coding is Coding => coding !== null);
  const preferredSystem = preference === 'ICD10' ? CODE_SYSTEMS.ICD10 : preference === 'LOINC' ? CODE_SYSTEMS.LOINC : undefined;
  const chosen = codings.find((coding) => coding.system === preferredSystem) ?? codings[0];
  if (!chosen) return { system: FHIR_SYSTEMS.DATA_ABSENT_REASON, code: 'unknown', display: text };
  return { ...chosen, display: chosen.display ?? text };
}

function normalize(coding: FhirCoding | undefined, aliases: CodeSystemAliases): Coding | null {
  if (coding === null || typeof coding !== 'object') return null;
  const code = typeof coding.code === 'string' ? coding.code.trim() : '';
  if (code === '') return null;
  const system = typeof coding.system === 'string' && coding.system.trim() !== '' ? coding.system.trim() : null;
  return {
    system: system === null ? null : aliases.icd10.includes(system) ? CODE_SYSTEMS.ICD10 : aliases.loinc.includes(system) ? CODE_SYSTEMS.LOINC : system,
    code,
    display: typeof coding.display === 'string' && coding.display.trim() !== '' ? coding.display : null,
  };
}
