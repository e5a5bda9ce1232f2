import type { JWTPayload } from 'jose';

export interface TokenLifetimeLimits {
  readonly nowSec: number;
  readonly toleranceSec: number;
  readonly maxLifetimeSec: number;
}

/**
 * Why a verified token's timing is still not acceptable, or null. jose checks `exp` and `nbf`;
 * it checks `iat` only against a maximum age, which would also refuse tokens without `iat`. So:
 * `iat` more than the clock tolerance in the future is refused (a token minted with a skewed or
 * forged clock), and a lifetime longer than the maximum is refused — `exp − iat`, or `exp − now`
 * for a token that does not say when it was issued (RFC 7519 §4.1.6 makes `iat` optional).
 */
export function tokenLifetimeProblem(payload: JWTPayload, limits: TokenLifetimeLimits): string | null {
  const { nowSec, toleranceSec, maxLifetimeSec } = limits;
  const exp = payload.exp;
  if (typeof exp !== 'number') return 'it has no expiry (exp)';
  if (typeof payload.iat === 'number') {
    if (payload.iat > nowSec + toleranceSec) return 'it was issued in the future (iat)';
    if (exp - payload.iat > maxLifetimeSec) return `its lifetime (exp − iat) exceeds the ${maxLifetimeSec} s this gateway accepts`;
    return null;
  }
  if (exp - nowSec > maxLifetimeSec + toleranceSec) return `it stays valid longer than the ${maxLifetimeSec} s this gateway accepts`;
  return null;
}
