import type { Principal, Role } from '../../core/security/Principal';
import { ACCESS_MODEL, FIELD_GROUPS } from '../access-model/accessModel';
import { ruleFor } from '../access-model/ruleFor';
import { isFieldGroup } from '../access-model/isFieldGroup';

/**
 * The policies (field groups named in the contracts' `@policy`) each role may ever hold: every
 * group the access model (gateway/access-model/accessModel.ts) does not `deny` the role. Whether a
 * held group is readable for one patient (care relationship, break-the-glass) is decided after,
 * by gateway/policy/checkCareRelationship.ts.
 */
export const ROLE_POLICIES: Readonly<Record<Role, ReadonlySet<string>>> = {
  clinician: heldBy('clinician'),
  analyst: heldBy('analyst'),
  patient: heldBy('patient'),
  registrar: heldBy('registrar'),
  admin: heldBy('admin'),
  auditor: heldBy('auditor'),
};

function heldBy(role: Role): ReadonlySet<string> {
  return new Set(FIELD_GROUPS.filter((group) => ACCESS_MODEL[role][group] !== 'deny'));
}

/**
 * The policies a principal holds: their role's, narrowed by purpose of use — a clinician reads
 * patient data only for treatment (or an emergency); with any other purpose (research, payment…)
 * they hold what is left: aggregates.
 */
export function grantedPolicies(principal: Principal | null, table: Readonly<Record<Role, ReadonlySet<string>>> = ROLE_POLICIES): ReadonlySet<string> {
  if (!principal) return new Set();
  const granted = table[principal.role];
  return new Set([...granted].filter((policy) => !isFieldGroup(policy) || ruleFor(principal, policy) !== 'deny'));
}
