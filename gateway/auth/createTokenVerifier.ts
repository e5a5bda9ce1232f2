import type { KeyObject } from 'node:crypto';
import { createRemoteJWKSet, importSPKI, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { PatientGraphError } from '../../core/errors/PatientGraphError';
import type { Principal } from '../../core/security/Principal';
import { DEFAULT_MAX_TOKEN_LIFETIME_SEC, MAX_CLOCK_TOLERANCE_SEC, TOKEN_LIFETIME_BOUNDS_SEC, type AuthConfig } from './AuthConfig';
import { tokenLifetimeProblem } from './tokenLifetimeProblem';
import { principalFromClaims } from './principalFromClaims';
import { VerifiedTokenCache } from './VerifiedTokenCache';

export type TokenVerifier = (token: string) => Promise<Principal>;

const MIN_SECRET_BYTES = 32;

/** Verified tokens kept, and for how long at most without verifying again (VerifiedTokenCache.ts). */
export const VERIFIED_TOKEN_CACHE = { maxEntries: 10_000, ttlMs: 30_000 } as const;

/**
 * Builds the bearer-token check of the gateway from its configuration, failing fast on a weak
 * secret or a bad key. The verifier rejects with UNAUTHENTICATED and a reason that helps the
 * caller (expired, wrong audience…) without echoing the token. A token that verified is taken
 * again without verifying until its expiry or {@link VERIFIED_TOKEN_CACHE}'s TTL, whichever is first.
 */
export async function createTokenVerifier(config: AuthConfig): Promise<TokenVerifier> {
  const tolerance = config.clockToleranceSec ?? 30;
  if (tolerance < 0 || tolerance > MAX_CLOCK_TOLERANCE_SEC) {
    throw new Error(`auth: clockToleranceSec must be between 0 and ${MAX_CLOCK_TOLERANCE_SEC}`);
  }
  if (!config.issuer || !config.audience) throw new Error('auth: issuer and audience are required');
  const maxLifetime = config.maxTokenLifetimeSec ?? DEFAULT_MAX_TOKEN_LIFETIME_SEC;
  if (!Number.isInteger(maxLifetime) || maxLifetime < TOKEN_LIFETIME_BOUNDS_SEC.min || maxLifetime > TOKEN_LIFETIME_BOUNDS_SEC.max) {
    throw new Error(`auth: maxTokenLifetimeSec must be an integer between ${TOKEN_LIFETIME_BOUNDS_SEC.min} and ${TOKEN_LIFETIME_BOUNDS_SEC.max}`);
  }
  const key = await verificationKey(config);
  const algorithms = config.kind === 'shared-secret' ? ['HS256'] : config.kind === 'public-key' ? [config.algorithm] : ['RS256', 'ES256'];
  const verified = new VerifiedTokenCache(VERIFIED_TOKEN_CACHE);
  return async (token) => {
    const known = verified.get(token);
    if (known) return known;
    try {
      const options = { issuer: config.issuer, audience: config.audience, algorithms, clockTolerance: tolerance, requiredClaims: ['exp', 'sub'] };
      // jwtVerify has one overload for a key and one for a key-resolving function (JWKS).
      const { payload } = typeof key === 'function' ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options);
      const problem = tokenLifetimeProblem(payload, { nowSec: Math.floor(Date.now() / 1000), toleranceSec: tolerance, maxLifetimeSec: maxLifetime });
      if (problem) throw new PatientGraphError('UNAUTHENTICATED', `the bearer token is not valid: ${problem}`);
      const principal = principalFromClaims(payload);
      return typeof payload.exp === 'number' ? verified.set(token, principal, payload.exp) : principal;
    } catch (error) {
      if (error instanceof PatientGraphError) throw error;
      throw new PatientGraphError('UNAUTHENTICATED', `the bearer token is not valid: ${reasonOf(error)}`, {}, { cause: error });
    }
  };
}

type VerificationKey = Uint8Array | KeyObject | Awaited<ReturnType<typeof importSPKI>> | JWTVerifyGetKey;

async function verificationKey(config: AuthConfig): Promise<VerificationKey> {
  switch (config.kind) {
    case 'shared-secret': {
      const bytes = new TextEncoder().encode(config.secret);
      if (bytes.length < MIN_SECRET_BYTES) throw new Error(`auth: the shared secret must be at least ${MIN_SECRET_BYTES} bytes`);
      return bytes;
    }
    case 'public-key':
      return importSPKI(config.publicKeyPem, config.algorithm);
    case 'jwks':
      return createRemoteJWKSet(new URL(config.url), { timeoutDuration: 5_000, cooldownDuration: 30_000 });
  }
}

/** jose error codes → short reasons a client can act on. */
function reasonOf(error: unknown): string {
  const code = error !== null && typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'it has expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return `a claim is not accepted (${claimOf(error)})`;
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'the signature does not verify';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'its algorithm is not accepted';
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return 'it is malformed';
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return 'no key of the issuer matches it';
    default:
      return 'it could not be verified';
  }
}

function claimOf(error: unknown): string {
  const claim = error !== null && typeof error === 'object' ? (error as { claim?: unknown }).claim : undefined;
  return typeof claim === 'string' ? claim : 'unknown';
}
