import type { CodeableConcept } from '@medplum/fhirtypes';
import type { Coding } from '../../contracts/model/clinical';
import { chooseCoding, type CodeSystemAliases } from './chooseCoding';

/**
 * A repeating CodeableConcept element (Observation.category, Condition.category, Encounter.type)
 * as the contract's list of codings, one per concept; null when the element is absent, so the
 * contract can tell "not given" from "given and empty".
 */
export function mapCodings(concepts: readonly CodeableConcept[] | undefined, aliases: CodeSystemAliases): Coding[] | null {
  if (!Array.isArray(concepts) || concepts.length === 0) return null;
  return concepts.filter((concept): concept is CodeableConcept => concept !== null && typeof concept === 'object').map((concept) => chooseCoding(concept, 'FIRST', aliases));
}

/** A coded value (valueCodeableConcept) with its code; null when absent or when it has neither code nor text. */
export function mapCodedValue(concept: CodeableConcept | undefined, aliases: CodeSystemAliases): Coding | null {
  if (concept === null || typeof concept !== 'object') return null;
  const coding = chooseCoding(concept, 'FIRST', aliases);
  return coding.code === 'unknown' && coding.display === null ? null : coding;
}
