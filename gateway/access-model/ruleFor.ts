import type { Principal } from '../../core/security/Principal';
import { ACCESS_MODEL, CLINICIAN_CARE_PURPOSES, FIELD_GROUP_INFO, type AccessRule, type FieldGroup } from './accessModel';

/**
 * The rule of the access model for this principal and group, narrowed by purpose of use: a
 * clinician outside treatment (research, payment…) holds no patient data, cannot search patients by
 * their demographics and cannot break the glass.
 */
export function ruleFor(principal: Principal, group: FieldGroup): AccessRule {
  const rule = ACCESS_MODEL[principal.role][group];
  if (principal.role !== 'clinician' || CLINICIAN_CARE_PURPOSES.has(principal.purposeOfUse)) return rule;
  return FIELD_GROUP_INFO[group].patientScoped || group === 'break-the-glass' || group === 'patient-search' ? 'deny' : rule;
}

/** Whether this principal may break the glass, hence whether their grants count at all. */
export function mayBreakTheGlass(principal: Principal): boolean {
  return ruleFor(principal, 'break-the-glass') === 'allow';
}
