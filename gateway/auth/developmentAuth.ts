import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Principal, PurposeOfUse, Role } from '../../core/security/Principal';
import type { AuthConfig } from './AuthConfig';

/**
 * The demo/development token issuer. Its secret is public (it is in this file), so only a gateway
 * running in demo or development mode accepts it; production configures a real issuer's key.
 */
export const DEVELOPMENT_AUTH: Extract<AuthConfig, { kind: 'shared-secret' }> = {
  kind: 'shared-secret',
  secret: 'patient-graph-development-secret--never-use-in-production',
  issuer: 'urn:patient-graph:development',
  audience: 'patient-graph',
};

export interface DevelopmentTokenRequest {
  readonly role: Role;
  readonly sub: string;
  readonly facilityCode?: string | null;
  readonly purposeOfUse?: PurposeOfUse;
  readonly scopes?: readonly string[];
  /** Lifetime; default 8 hours (a working shift). */
  readonly ttlSec?: number;
}

/** Signs a development token with the public development secret (HS256). */
export async function issueDevelopmentToken(request: DevelopmentTokenRequest): Promise<string> {
  const claims: Record<string, unknown> = { role: request.role };
  if (request.facilityCode) claims.facility_code = request.facilityCode;
  if (request.purposeOfUse) claims.purpose_of_use = request.purposeOfUse;
  if (request.scopes && request.scopes.length > 0) claims.scope = request.scopes.join(' ');
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(request.sub)
    .setIssuer(DEVELOPMENT_AUTH.issuer)
    .setAudience(DEVELOPMENT_AUTH.audience)
    .setIssuedAt()
    .setJti(randomUUID())
    .setExpirationTime(`${request.ttlSec ?? 8 * 3600}s`)
    .sign(new TextEncoder().encode(DEVELOPMENT_AUTH.secret));
}

/** Whether this process may hand out development tokens (never in production). */
export function developmentTokensAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NODE_ENV !== 'production' && env.PATIENT_GRAPH_MODE !== 'production';
}

export type { Principal };
