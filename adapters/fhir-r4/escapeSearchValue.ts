/**
 * Escapes one value of a FHIR search parameter (R4 search.html#escaping): `\`, `,`, `$` and `|`
 * are prefixed with `\`, so a value is always read as itself — never as an OR-list, a
 * composite, or a `system|code` token. A hostile identifier is then just a value that matches
 * nothing. (URL-encoding is a separate, later step.)
 */
export function escapeSearchValue(value: string): string {
  return value.replace(/[\\,$|]/g, (c) => `\\${c}`);
}

/** A token search value `system|code` (search.html#token) with both parts escaped. */
export function tokenSearchValue(system: string, code: string): string {
  return `${escapeSearchValue(system)}|${escapeSearchValue(code)}`;
}

/** A reference search value `Type/id` (search.html#reference) with the id escaped. */
export function referenceSearchValue(resourceType: string, id: string): string {
  return `${resourceType}/${escapeSearchValue(id)}`;
}
