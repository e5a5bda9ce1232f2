/**
 * How the gateway verifies bearer tokens (JWT, RFC 7519). Development uses a shared secret
 * (HS256); production uses the identity provider's public key (RS256/ES256) or its JWKS URL.
 * Issuer and audience are always checked; clock skew is bounded; so is a token's lifetime
 * (`maxTokenLifetimeSec`, default 12 hours: a stolen token must not outlive a working shift by much).
 */
export type AuthConfig =
  | ({ readonly kind: 'shared-secret'; readonly secret: string } & TokenChecks)
  | ({ readonly kind: 'public-key'; readonly algorithm: 'RS256' | 'ES256'; readonly publicKeyPem: string } & TokenChecks)
  | ({ readonly kind: 'jwks'; readonly url: string } & TokenChecks);

/** The claim checks every kind of verification shares. */
export interface TokenChecks {
  readonly issuer: string;
  readonly audience: string;
  readonly clockToleranceSec?: number;
  /** Longest accepted `exp − iat` (or `exp − now` for a token without `iat`); default 12 hours. */
  readonly maxTokenLifetimeSec?: number;
}

/** Longest clock skew accepted between the token issuer and the gateway. */
export const MAX_CLOCK_TOLERANCE_SEC = 120;

/** Default and bounds of `maxTokenLifetimeSec`: 12 hours; from 1 minute to 7 days. */
export const DEFAULT_MAX_TOKEN_LIFETIME_SEC = 12 * 3600;
export const TOKEN_LIFETIME_BOUNDS_SEC = { min: 60, max: 7 * 24 * 3600 } as const;
