/**
 * Shares one copy of mapped values that repeat across claims (ICD-10 codes and texts, drug
 * names, department codes), so an index of a large folder holds each catalogue text once instead
 * of once per HOSO. Only for values that repeat: the table is bounded (when full it starts over),
 * but everything in it stays in memory until then.
 */
const table = new Map<string, string>();
const MAX_ENTRIES = 200_000;
const MAX_LENGTH = 256;

export function internText(text: string): string {
  if (text.length > MAX_LENGTH) return detached(text);
  const known = table.get(text);
  if (known !== undefined) return known;
  if (table.size >= MAX_ENTRIES) table.clear();
  const copy = detached(text);
  table.set(copy, copy);
  return copy;
}

/**
 * A copy of `text` that does not keep the document it was cut from alive: V8 keeps a substring as
 * a slice of its parent, so a note kept by the index would otherwise hold its whole inner document.
 */
export function detached(text: string): string {
  return text.length < 13 ? text : `${text} `.slice(0, -1);
}

export function internOrNull(text: string | null): string | null {
  return text === null ? null : internText(text);
}
