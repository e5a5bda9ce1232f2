import type { Principal } from '../../core/security/Principal';
import type { AccessRule } from '../access-model/accessModel';
import { isFieldGroup } from '../access-model/isFieldGroup';
import { ruleFor } from '../access-model/ruleFor';
import type { FieldRequirement } from './FieldRequirement';

/**
 * What a field needs from the patient it belongs to, for this principal: nothing (`none`), the care
 * relationship or a grant, a grant, or it can never be read (`never`, refused by role already).
 * The requirement's policy lists keep their federation meaning (outer OR, inner AND): the
 * easiest alternative wins, and within one alternative the strictest group counts.
 */
export type RowRequirement = 'none' | 'care-or-grant' | 'grant' | 'never';

const LEVEL: Readonly<Record<AccessRule, number>> = { allow: 0, 'needs-care': 1, 'needs-grant': 2, deny: 3 };
const REQUIREMENT: readonly RowRequirement[] = ['none', 'care-or-grant', 'grant', 'never'];

export function rowRequirementOf(requirement: FieldRequirement, principal: Principal): RowRequirement {
  if (!requirement.policies) return 'none';
  const levels = requirement.policies.map((all) => Math.max(...all.map((name) => (isFieldGroup(name) ? LEVEL[ruleFor(principal, name)] : LEVEL.deny))));
  return REQUIREMENT[Math.min(...levels)] ?? 'never';
}
