import type { GraphQLFormattedError } from 'graphql';
import { WITHHELD_CATEGORIES_KEY } from '../../core/consent/consentRepresentationKeys';
import { outsideCareErrors, withheldFacilityErrors } from './accessErrors';
import type { AccessRuling } from './applyAccessRules';
import type { FieldMergePlan } from './SourceOperation';
import { withheldCategoriesOf } from './withholdSensitiveItems';

/**
 * The access refusals of a contract a source brought, field by field (docs/registry.md §7): its
 * `Patient` fields are nullable, so a refused field is `null` with its error at its own path and
 * the rest of the patient stays.
 * - outside the care relationship without a grant: every field `null`, FORBIDDEN;
 * - consent withholds some of the contract's sources: CONSENT_DENIED per facility on each field
 *   (the other sources' items are kept); all of them: the fields are `null`;
 * - consent withholds sensitive categories: a field whose items name their code
 *   (`@sensitiveCode`) was filtered item by item; any other field cannot be, so it is `null` with
 *   CONSENT_DENIED (least privilege).
 * Pure: returns the entities with refused fields set to `null`, and the errors.
 */
export function refuseWithheldFields(
  entities: readonly Record<string, unknown>[],
  fields: readonly FieldMergePlan[],
  ruling: AccessRuling,
): { readonly entities: Record<string, unknown>[]; readonly errors: GraphQLFormattedError[] } {
  const merged = fields.filter((f) => f.kind === 'merge');
  const errors: GraphQLFormattedError[] = [];
  const byIndex = new Map<number, GraphQLFormattedError[]>();
  for (const error of [...outsideCareErrors(ruling), ...withheldFacilityErrors(ruling)]) {
    const index = error.path?.[1];
    if (typeof index === 'number') byIndex.set(index, [...(byIndex.get(index) ?? []), error]);
  }
  const outside = new Set(ruling.outsideCare);
  const result = entities.map((entity, index) => {
    const representation = ruling.representations[index];
    const refusals = byIndex.get(index) ?? [];
    const nothingAsked = outside.has(index) || (refusals.length > 0 && (representation?.facilityCodes ?? []).length === 0);
    const categories = withheldCategoriesOf(representation?.[WITHHELD_CATEGORIES_KEY]);
    if (merged.length === 0) {
      errors.push(...refusals);
      return entity;
    }
    let copy: Record<string, unknown> | null = null;
    for (const field of merged) {
      const at = ['_entities', index, field.responseKey];
      errors.push(...refusals.map((error) => ({ ...error, path: at })));
      const uncategorized = categories.length > 0 && !(field.kind === 'merge' && field.rule.sensitiveCode);
      if (uncategorized && !nothingAsked) {
        errors.push({
          message: `The patient withholds sensitive categories (${categories.join(', ')}) and the items of ${field.responseKey} do not say which they belong to (no @sensitiveCode), so it was not released.`,
          path: at,
          extensions: { code: 'CONSENT_DENIED', categories },
        });
      }
      if (nothingAsked || uncategorized) {
        copy ??= { ...entity };
        copy[field.responseKey] = null;
      }
    }
    return copy ?? entity;
  });
  return { entities: result, errors };
}
