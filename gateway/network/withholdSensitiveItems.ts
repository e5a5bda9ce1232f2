import { codeInCategories, isSensitiveCategory, type SensitiveCategory } from '../../core/consent/sensitiveCategories';
import { INTERNAL_ALIASES } from './internalAliases';
import type { FieldMergePlan } from './SourceOperation';
import type { EntityObject } from './verifySourceAnswer';

/**
 * Drops, from one source's entity, the list items whose ICD-10 code (the `@sensitiveCode(path:)`
 * value the gateway asked for under an internal alias) falls in a sensitive category the patient
 * withholds (core/consent/sensitiveCategories.ts) — the gateway's own filter for contracts a source
 * brought, whose sources may not know the categories (docs/registry.md §7). Items without a code
 * are kept; lists of fields without `@sensitiveCode` are left as they are. Pure.
 */
export function withholdSensitiveItems(entity: EntityObject, fields: readonly FieldMergePlan[], categories: readonly SensitiveCategory[]): EntityObject {
  if (categories.length === 0) return entity;
  let copy: Record<string, unknown> | null = null;
  for (const field of fields) {
    if (field.kind !== 'merge' || !field.rule.sensitiveCode) continue;
    const list = entity[field.responseKey];
    if (!Array.isArray(list)) continue;
    const kept = (list as unknown[]).filter((item) => !codesOf(item).some((code) => codeInCategories(code, categories)));
    if (kept.length === list.length) continue;
    copy ??= { ...entity };
    copy[field.responseKey] = kept;
  }
  return copy ?? entity;
}

/** The withheld categories the access rules attached to a representation (`_pgWithheldCategories`). */
export function withheldCategoriesOf(value: unknown): SensitiveCategory[] {
  return Array.isArray(value) ? value.filter(isSensitiveCategory) : [];
}

/** Every string under the item's code alias (a list along the path gives several). */
function codesOf(item: unknown): string[] {
  if (item === null || typeof item !== 'object') return [];
  const codes: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === 'string') codes.push(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(collect);
  };
  collect((item as Record<string, unknown>)[INTERNAL_ALIASES.sensitiveCode]);
  return codes;
}
