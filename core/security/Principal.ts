/**
 * Who is asking (docs/architecture.md §6): the verified facts of a bearer token. The gateway builds it from
 * the JWT; subgraphs receive the facts they need inside the signed part of each request.
 */
export const ROLES = ['clinician', 'analyst', 'patient', 'registrar', 'admin', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** Purposes of use (HL7 v3 PurposeOfUse: TREAT, HPAYMT, HOPERAT, HRESCH, PUBHLTH, ETREAT). */
export const PURPOSES_OF_USE = ['treatment', 'payment', 'operations', 'research', 'public-health', 'emergency'] as const;
export type PurposeOfUse = (typeof PURPOSES_OF_USE)[number];

export interface Principal {
  /** Subject: a staff id, or for the `patient` role the person's 12-digit national ID. */
  readonly sub: string;
  readonly role: Role;
  /** The facility (MA_CSKCB) a clinician or registrar works for. */
  readonly facilityCode: string | null;
  readonly scopes: readonly string[];
  readonly purposeOfUse: PurposeOfUse;
  /** Token id (`jti`), for audit. */
  readonly tokenId: string | null;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function isPurposeOfUse(value: unknown): value is PurposeOfUse {
  return typeof value === 'string' && (PURPOSES_OF_USE as readonly string[]).includes(value);
}
