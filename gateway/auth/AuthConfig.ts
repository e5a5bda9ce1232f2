/**
 * How the gateway verifies bearer tokens (JWT, RFC 7519). Development uses a shared secret
 * (HS256); production uses the identity provider's public key (RS256/ES256) or its JWKS URL.
 * Issuer and audience are always checked; clock skew is bounded.
 */
export type AuthConfig =
  | { readonly kind: 'shared-secret'; readonly secret: string; readonly issuer: string; readonly audience: string; readonly clockToleranceSec?: number }
  | { readonly kind: 'public-key'; readonly algorithm: 'RS256' | 'ES256'; readonly publicKeyPem: string; readonly issuer: string; readonly audience: string; readonly clockToleranceSec?: number }
  | { readonly kind: 'jwks'; readonly url: string; readonly issuer: string; readonly audience: string; readonly clockToleranceSec?: number };

/** Longest clock skew accepted between the token issuer and the gateway. */
export const MAX_CLOCK_TOLERANCE_SEC = 120;
