import type { Reference } from '@medplum/fhirtypes';

/** FHIR R4 id: 1–64 of `A–Z a–z 0–9 - .` (datatypes.html#id). */
const ID = '[A-Za-z0-9\\-.]{1,64}';

/**
 * The logical id a `Reference.reference` points at, for a given resource type: relative
 * (`Patient/BN1`), absolute (`https://…/fhir/Patient/BN1`) or version-specific
 * (`Patient/BN1/_history/2`), per references.html#literal. Undefined for another type, a contained
 * (`#…`) or logical (identifier-only) reference, or anything malformed.
 */
export function referenceId(reference: Reference | undefined, resourceType: string): string | undefined {
  const literal: unknown = reference?.reference;
  if (typeof literal !== 'string') return undefined;
  const m = new RegExp(`(?:^|/)${resourceType}/(${ID})(?:/_history/[^/]+)?$`).exec(literal);
  return m?.[1];
}

/** The id of a contained resource a reference points at (`#med1` → `med1`), per references.html#contained. */
export function containedId(reference: Reference | undefined): string | undefined {
  const literal: unknown = reference?.reference;
  return typeof literal === 'string' && literal.startsWith('#') && literal.length > 1 ? literal.slice(1) : undefined;
}
