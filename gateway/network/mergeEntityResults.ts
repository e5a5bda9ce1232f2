import { mergeFieldValues } from './mergeFieldValues';
import type { FieldMergePlan } from './SourceOperation';
import type { EntityObject } from './verifySourceAnswer';
import type { PatientRepresentation } from './routeRepresentations';

/** One source's verified entities, placed at the gateway's representation indices. */
export interface EntityContribution {
  /** Position of the source in configured order. */
  readonly order: number;
  /** `entities[i]` answers representation i; undefined where this source was not asked. */
  readonly entities: ReadonlyMap<number, EntityObject>;
}

/**
 * Builds exactly one entity per representation (docs/architecture.md §3: a missing or null entity would null
 * the whole patient, name and insurance included). Every planned field is present: merged from the
 * sources that answered, in configured source order, or empty when none did.
 */
export function mergeEntityResults(
  representations: readonly PatientRepresentation[],
  fields: readonly FieldMergePlan[],
  contributions: readonly EntityContribution[],
): Record<string, unknown>[] {
  const ordered = [...contributions].sort((a, b) => a.order - b.order);
  return representations.map((representation, index) => {
    const answers = ordered.map((c) => c.entities.get(index)).filter((e): e is EntityObject => e !== undefined);
    const merged: Record<string, unknown> = {};
    for (const field of fields) {
      switch (field.kind) {
        case 'typename':
          merged[field.responseKey] = field.typeName;
          break;
        case 'key':
          merged[field.responseKey] = representation[field.fieldName];
          break;
        case 'merge':
          merged[field.responseKey] = mergeFieldValues(field.rule, answers.map((a) => a[field.responseKey]), null);
          break;
      }
    }
    return merged;
  });
}
