import type { Principal } from '../../core/security/Principal';
import type { FieldRequirement } from './FieldRequirement';

/** Whether a principal satisfies one requirement (outer lists OR, inner lists AND). */
export function satisfies(requirement: FieldRequirement, principal: Principal | null, grantedPolicies: ReadonlySet<string>): boolean {
  if (requirement.authenticated && !principal) return false;
  if (requirement.scopes && !requirement.scopes.some((all) => all.every((s) => principal?.scopes.includes(s)))) return false;
  if (requirement.policies && !requirement.policies.some((all) => all.every((p) => grantedPolicies.has(p)))) return false;
  return true;
}
