import type { Principal } from '../../core/security/Principal';

/**
 * The care relationship between a principal and a patient (docs/architecture.md §6). A clinician
 * cares for the patients whose record locator includes their facility; a patient "cares for" their
 * own record only; every other role has no care relationship with anyone.
 */
export type Relationship = 'in-care' | 'outside-care';

export function relationshipOf(principal: Principal, nationalId: string, locator: readonly string[] | undefined): Relationship {
  switch (principal.role) {
    case 'clinician':
      return principal.facilityCode !== null && (locator ?? []).includes(principal.facilityCode) ? 'in-care' : 'outside-care';
    case 'patient':
      return principal.sub === nationalId ? 'in-care' : 'outside-care';
    case 'analyst':
    case 'registrar':
    case 'admin':
    case 'auditor':
      return 'outside-care';
  }
}
