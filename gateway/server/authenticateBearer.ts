import type { IncomingHttpHeaders } from 'node:http';
import { PatientGraphError } from '../../core/errors/PatientGraphError';
import type { Principal } from '../../core/security/Principal';
import type { AuthenticationResult } from '../../subgraphs/http/createHttpHandler';
import type { TokenVerifier } from '../auth/createTokenVerifier';

const CHALLENGE = 'Bearer realm="patient-graph"';

/**
 * The gateway's authentication at the HTTP edge (RFC 6750): every GraphQL request needs a valid
 * bearer token; only `/healthz` answers without one. No token, or a bad one → 401 with a reason.
 */
export function authenticateBearer(verify: TokenVerifier): (request: { headers: IncomingHttpHeaders }) => Promise<AuthenticationResult<Principal>> {
  return async ({ headers }) => {
    const header = headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match?.[1]) {
      return { kind: 'denied', status: 401, code: 'UNAUTHENTICATED', message: 'A bearer token is required (Authorization: Bearer <token>).', challenge: CHALLENGE };
    }
    try {
      return { kind: 'allowed', facts: await verify(match[1]) };
    } catch (error) {
      const message = error instanceof PatientGraphError ? error.message : 'The bearer token could not be verified.';
      return { kind: 'denied', status: 401, code: 'UNAUTHENTICATED', message, challenge: `${CHALLENGE}, error="invalid_token"` };
    }
  };
}
