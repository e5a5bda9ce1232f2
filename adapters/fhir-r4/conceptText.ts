import type { CodeableConcept } from '@medplum/fhirtypes';

/**
 * What a CodeableConcept says, as plain text, for contract fields that are free text (route,
 * interpretation, a coded result, a reaction): `text`, else the first coding's display, else its
 * code. Null when the concept says nothing.
 */
export function conceptText(concept: CodeableConcept | undefined): string | null {
  if (concept === null || typeof concept !== 'object') return null;
  if (typeof concept.text === 'string' && concept.text.trim() !== '') return concept.text;
  for (const coding of Array.isArray(concept.coding) ? concept.coding : []) {
    if (typeof coding?.display === 'string' && coding.display.trim() !== '') return coding.display;
    if (typeof coding?.code === 'string' && coding.code.trim() !== '') return coding.code;
  }
  return null;
}

/**
 * The code of a status-like CodeableConcept (Condition.clinicalStatus, verificationStatus): the
 * first coding in the given system, or without a system. Undefined when there is none.
 */
export function conceptCode(concept: CodeableConcept | undefined, system: string): string | undefined {
  if (concept === null || typeof concept !== 'object' || !Array.isArray(concept.coding)) return undefined;
  const coding = concept.coding.find((c) => typeof c?.code === 'string' && (c.system === system || c.system === undefined));
  return coding?.code;
}
