import { createHmac } from 'node:crypto';

/** What a pseudonym is derived from, strongest first: the same person gets the same basis everywhere. */
export type PseudonymBasis =
  | { readonly kind: 'nationalId'; readonly value: string }
  | { readonly kind: 'socialInsurance'; readonly value: string }
  | { readonly kind: 'local'; readonly facilityCode: string; readonly value: string };

/**
 * A keyed pseudonym (HMAC-SHA-256 with the network's analytics key, 128 bits): equal for the same
 * national ID (or, without one, the same 10-digit BHXH code) at every source that holds the key,
 * meaningless to the gateway, which does not. A record with neither number gets a pseudonym local
 * to its facility: such a person treated at two hospitals is counted twice (docs/analytics.md).
 */
export function patientPseudonym(key: Buffer, basis: PseudonymBasis): string {
  const input = basis.kind === 'local' ? `local:${basis.facilityCode}:${basis.value}` : `${basis.kind}:${basis.value}`;
  return createHmac('sha256', key).update(input).digest('base64url').slice(0, 22);
}
