/**
 * The fields of `fields` that have a value: the FHIR-only fields of the contract (components,
 * categories, onset…) are left out, not null, when a resource does not have them, so a record
 * reads the same from every kind of source (null in the contract either way).
 */
export function presentFields<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0))) as Partial<T>;
}
