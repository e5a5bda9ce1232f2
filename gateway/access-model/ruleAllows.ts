import type { AccessRule } from './accessModel';
import type { Relationship } from './relationshipOf';

/** Whether one rule of the access model lets a principal through for one patient. */
export function ruleAllows(rule: AccessRule, relationship: Relationship, hasGrant: boolean): boolean {
  switch (rule) {
    case 'allow':
      return true;
    case 'deny':
      return false;
    case 'needs-care':
      return relationship === 'in-care' || hasGrant;
    case 'needs-grant':
      return hasGrant;
  }
}
