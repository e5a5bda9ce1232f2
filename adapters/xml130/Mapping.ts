/** Result of mapping one table of a HOSO: the resources, or every reason the table is unusable. */
export type Mapping<T> =
  | { readonly kind: 'mapped'; readonly value: T }
  | { readonly kind: 'invalid'; readonly reasons: readonly string[] };

export function mapped<T>(value: T): Mapping<T> {
  return { kind: 'mapped', value };
}

export function invalidMapping<T>(reasons: readonly string[]): Mapping<T> {
  return { kind: 'invalid', reasons };
}
