import type { JWTPayload } from 'jose';
import { PatientGraphError } from '../../core/errors/PatientGraphError';
import { parseFacilityCode } from '../../core/identifiers/facilityCode';
import { parseNationalId } from '../../core/identifiers/nationalId';
import { isPurposeOfUse, isRole, type Principal, type PurposeOfUse, type Role } from '../../core/security/Principal';

/** Purpose assumed when a token states none: the ordinary purpose of the role. */
const DEFAULT_PURPOSE: Readonly<Record<Role, PurposeOfUse>> = {
  clinician: 'treatment',
  analyst: 'research',
  patient: 'treatment',
  registrar: 'operations',
  admin: 'operations',
  auditor: 'operations',
};

/**
 * Turns verified JWT claims into a principal. Claims: `sub`, `role`, `facility_code`,
 * `scope` (space-separated, RFC 8693 style), `purpose_of_use`, `jti`. A clinician or registrar
 * must name their facility; a patient's subject is their national ID.
 */
export function principalFromClaims(claims: JWTPayload): Principal {
  const sub = claims.sub;
  if (typeof sub !== 'string' || sub === '') throw unauthenticated('the token has no subject');
  const role: unknown = claims.role;
  if (!isRole(role)) throw unauthenticated('the token has no valid role');
  const facility: unknown = claims.facility_code;
  let facilityCode: string | null = null;
  if (facility !== undefined && facility !== null) {
    if (typeof facility !== 'string' || parseFacilityCode(facility).kind === 'invalid') throw unauthenticated('the token has an invalid facility_code');
    facilityCode = facility;
  }
  if ((role === 'clinician' || role === 'registrar') && facilityCode === null) {
    throw unauthenticated(`a ${role} token must name the facility (facility_code)`);
  }
  if (role === 'patient' && parseNationalId(sub).kind === 'invalid') {
    throw unauthenticated('a patient token’s subject must be the patient’s national ID');
  }
  const purpose: unknown = claims.purpose_of_use ?? DEFAULT_PURPOSE[role];
  if (!isPurposeOfUse(purpose)) throw unauthenticated('the token has an unknown purpose_of_use');
  const scope: unknown = claims.scope;
  const scopes = typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [];
  return { sub, role, facilityCode, scopes, purposeOfUse: purpose, tokenId: typeof claims.jti === 'string' ? claims.jti : null };
}

function unauthenticated(message: string): PatientGraphError {
  return new PatientGraphError('UNAUTHENTICATED', message);
}
