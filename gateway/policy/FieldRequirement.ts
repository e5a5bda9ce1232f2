/**
 * What a schema element requires of the caller, from the federation authorization directives of
 * the contracts (`@authenticated`, `@requiresScopes`, `@policy`; Apollo Router semantics: each
 * outer list is OR, each inner list is AND).
 */
export interface FieldRequirement {
  readonly authenticated: boolean;
  readonly scopes: readonly (readonly string[])[] | null;
  readonly policies: readonly (readonly string[])[] | null;
}

/** `Type.field` (and `Type` for type-level directives) → requirement. */
export type FieldRequirements = ReadonlyMap<string, FieldRequirement>;
