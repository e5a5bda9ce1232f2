import type { Principal, PurposeOfUse, Role } from '../../core/security/Principal';

/**
 * The policies (names used in the contracts' `@policy`) each role holds — least privilege
 * (docs/architecture.md §6). Row-level rules come on top: a patient reads only their own record, a clinician
 * only patients in their facility's care (else break-the-glass), consent opt-outs apply to all.
 *
 * - `patient-lookup`: find one patient by national ID (`Query.patient`).
 * - `patient-index`: list the patient index (`Query.patients`).
 * - `identifying`: direct identifiers and demographics (name, national ID, insurance numbers…).
 * - `clinical`: clinical lists of a patient (encounters, conditions, …), de-identified by themselves.
 * - `insurance`: the insurance card and the national insured-visit history.
 * - `aggregate`: federated aggregates (counts per diagnosis…), no patient identified.
 * - `access-log`: a patient's own access log.
 * - `audit`: every audit record.
 * - `break-the-glass`: emergency access to a patient outside the facility's care.
 * - `consent-manage`: set one's own sharing choices.
 * - `patient-search`: find patients by demographics (`Query.searchPatients`; a clinician finds only
 *   patients in their facility's care).
 * - `match-review`: review and decide possible matches of the patient index (`matchReviews`, `resolveMatch`).
 */
export const ROLE_POLICIES: Readonly<Record<Role, ReadonlySet<string>>> = {
  clinician: new Set(['patient-lookup', 'identifying', 'clinical', 'insurance', 'aggregate', 'break-the-glass', 'patient-search']),
  analyst: new Set(['patient-index', 'clinical', 'aggregate']),
  patient: new Set(['patient-lookup', 'identifying', 'clinical', 'insurance', 'access-log', 'consent-manage']),
  registrar: new Set(['patient-lookup', 'patient-index', 'identifying', 'insurance', 'patient-search', 'match-review']),
  admin: new Set(['patient-index', 'identifying', 'aggregate']),
  auditor: new Set(['patient-lookup', 'identifying', 'access-log', 'audit']),
};

/** Purposes under which a clinician may read identifiable patient data (HL7 TREAT, ETREAT). */
const CARE_PURPOSES: ReadonlySet<PurposeOfUse> = new Set(['treatment', 'emergency']);
const PATIENT_DATA_POLICIES = new Set(['patient-lookup', 'identifying', 'clinical', 'insurance', 'break-the-glass', 'patient-search']);

/**
 * The policies a principal holds: their role's, narrowed by purpose of use — a clinician reads
 * patient data only for treatment (or an emergency); with any other purpose (research, payment…)
 * they hold what is left: aggregates.
 */
export function grantedPolicies(principal: Principal | null, table: Readonly<Record<Role, ReadonlySet<string>>> = ROLE_POLICIES): ReadonlySet<string> {
  if (!principal) return new Set();
  const granted = table[principal.role];
  if (principal.role !== 'clinician' || CARE_PURPOSES.has(principal.purposeOfUse)) return granted;
  return new Set([...granted].filter((policy) => !PATIENT_DATA_POLICIES.has(policy)));
}
