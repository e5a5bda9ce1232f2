/** Outcome of validating an identifier: the parsed value, or why it is not valid (no value echoed). */
export type IdentifierCheck<T> =
  | { readonly kind: 'valid'; readonly value: T }
  | { readonly kind: 'invalid'; readonly reason: string };

export function valid<T>(value: T): IdentifierCheck<T> {
  return { kind: 'valid', value };
}

export function invalid<T>(reason: string): IdentifierCheck<T> {
  return { kind: 'invalid', reason };
}
