import type { PurposeOfUse, Role } from '../../core/security/Principal';

/**
 * Field groups: the names the contracts use in `@policy(policies: [["…"]])`. Every field with a
 * policy belongs to the groups it names; the gateway reads the directives from the contract SDL
 * (gateway/policy/readFieldRequirements.ts), so a contract and this model cannot name different
 * groups without a test failing (test/unit/gateway/access-model/accessModel.test.ts).
 */
export const FIELD_GROUPS = [
  'patient-lookup',
  'record-key',
  'identifying',
  'demographic',
  'locator',
  'consent',
  'clinical',
  'insurance',
  'access-log',
  'patient-index',
  'aggregate',
  'audit',
  'break-the-glass',
  'consent-manage',
  'registry-read',
  'registry-manage',
  'patient-search',
  'match-review',
  'possible-matches',
] as const;
export type FieldGroup = (typeof FIELD_GROUPS)[number];

/**
 * What a role may do with a field group:
 * - `allow`: always;
 * - `deny`: never (refused before planning, whoever the patient is);
 * - `needs-care`: only for a patient in the principal's care relationship — for a clinician, a
 *   patient whose record locator includes their facility; for a patient, their own record — or
 *   under an active break-the-glass grant;
 * - `needs-grant`: only under an active break-the-glass grant for that patient.
 */
export type AccessRule = 'allow' | 'deny' | 'needs-care' | 'needs-grant';

export interface FieldGroupInfo {
  /** One line for the README table. */
  readonly label: string;
  /** Whether the group reads one patient's data (so the care relationship can apply to it). */
  readonly patientScoped: boolean;
}

export const FIELD_GROUP_INFO: Readonly<Record<FieldGroup, FieldGroupInfo>> = {
  'patient-lookup': { label: 'find one patient by national ID', patientScoped: true },
  'record-key': { label: 'the national ID the caller looked up', patientScoped: true },
  identifying: { label: 'name, birth date, identifiers, card number', patientScoped: true },
  demographic: { label: 'gender', patientScoped: true },
  locator: { label: 'where the person was treated', patientScoped: true },
  consent: { label: "the patient's sharing choices", patientScoped: true },
  clinical: { label: 'clinical lists and the national visit history', patientScoped: true },
  insurance: { label: 'the insurance card as VSS knows it', patientScoped: true },
  'access-log': { label: "who looked at the patient's record", patientScoped: true },
  'patient-index': { label: 'list the patient index', patientScoped: false },
  aggregate: { label: 'counts across hospitals, no patient identified', patientScoped: false },
  audit: { label: 'every audit record', patientScoped: false },
  'break-the-glass': { label: 'emergency access to a patient outside the care relationship', patientScoped: false },
  'consent-manage': { label: 'set one’s own sharing choices', patientScoped: false },
  'registry-read': { label: 'list the sources of the network and their health', patientScoped: false },
  'registry-manage': { label: 'register, change, disable and remove sources', patientScoped: false },
  // Candidates come with names and birth dates: for a clinician, only under a care purpose (ruleFor).
  'patient-search': { label: 'find patients by name, birth date, gender and province, ranked', patientScoped: false },
  'match-review': { label: 'review and decide possible matches of the patient index', patientScoped: false },
  // An argument, not a field (`encounters(includePossibleMatches:)`): records that may be someone
  // else's are for a clinician deciding whether they are this patient's, nobody else.
  'possible-matches': { label: 'also records only possibly matched to the patient, marked as such', patientScoped: true },
};

const PATIENT_BY_CARE: Pick<Record<FieldGroup, AccessRule>, 'record-key' | 'identifying' | 'demographic' | 'locator' | 'consent' | 'clinical' | 'insurance'> = {
  'record-key': 'needs-care',
  identifying: 'needs-care',
  demographic: 'needs-care',
  locator: 'needs-care',
  consent: 'needs-care',
  clinical: 'needs-care',
  insurance: 'needs-care',
};

/**
 * The one access model (docs/security.md): role × field group → rule. The gateway's field policy
 * step, its care-relationship step and the network data source all read it; the README's "Who may
 * see what" table is generated from it and a test holds the two equal. Least privilege
 * (docs/architecture.md §6): a role holds what its work needs, nothing else.
 */
export const ACCESS_MODEL: Readonly<Record<Role, Readonly<Record<FieldGroup, AccessRule>>>> = {
  clinician: {
    ...PATIENT_BY_CARE,
    // Looking a person up (and seeing the national ID they typed) answers only whether the index
    // knows them: what a clinician needs before breaking the glass.
    'patient-lookup': 'allow',
    'record-key': 'allow',
    'access-log': 'deny',
    'patient-index': 'deny',
    aggregate: 'allow',
    audit: 'deny',
    'break-the-glass': 'allow',
    'consent-manage': 'deny',
    'registry-read': 'deny',
    'registry-manage': 'deny',
    'patient-search': 'allow',
    'match-review': 'deny',
    'possible-matches': 'needs-care',
  },
  analyst: {
    'patient-lookup': 'deny',
    'record-key': 'deny',
    identifying: 'deny',
    demographic: 'allow',
    // Where a person was treated identifies them as surely as a name (a rare combination of sites).
    locator: 'deny',
    consent: 'deny',
    clinical: 'allow',
    insurance: 'deny',
    'access-log': 'deny',
    'patient-index': 'allow',
    aggregate: 'allow',
    audit: 'deny',
    'break-the-glass': 'deny',
    'consent-manage': 'deny',
    'registry-read': 'deny',
    'registry-manage': 'deny',
    'patient-search': 'deny',
    'match-review': 'deny',
    'possible-matches': 'deny',
  },
  patient: {
    ...PATIENT_BY_CARE,
    'patient-lookup': 'needs-care',
    'access-log': 'needs-care',
    'patient-index': 'deny',
    aggregate: 'deny',
    audit: 'deny',
    'break-the-glass': 'deny',
    'consent-manage': 'allow',
    'registry-read': 'deny',
    'registry-manage': 'deny',
    'patient-search': 'deny',
    'match-review': 'deny',
    'possible-matches': 'deny',
  },
  registrar: {
    'patient-lookup': 'allow',
    'record-key': 'allow',
    identifying: 'allow',
    demographic: 'allow',
    locator: 'allow',
    consent: 'allow',
    clinical: 'deny',
    insurance: 'allow',
    'access-log': 'deny',
    'patient-index': 'allow',
    aggregate: 'deny',
    audit: 'deny',
    'break-the-glass': 'deny',
    'consent-manage': 'deny',
    'registry-read': 'allow',
    'registry-manage': 'deny',
    'patient-search': 'allow',
    'match-review': 'allow',
    'possible-matches': 'deny',
  },
  admin: {
    'patient-lookup': 'deny',
    'record-key': 'allow',
    identifying: 'allow',
    demographic: 'allow',
    locator: 'allow',
    consent: 'allow',
    clinical: 'deny',
    insurance: 'deny',
    'access-log': 'deny',
    'patient-index': 'allow',
    aggregate: 'allow',
    audit: 'deny',
    'break-the-glass': 'deny',
    'consent-manage': 'deny',
    'registry-read': 'allow',
    'registry-manage': 'allow',
    'patient-search': 'deny',
    'match-review': 'deny',
    'possible-matches': 'deny',
  },
  // Auditors read the audit trail; a patient's record only like anyone else: by breaking the glass.
  auditor: {
    'patient-lookup': 'needs-grant',
    'record-key': 'needs-grant',
    identifying: 'needs-grant',
    demographic: 'needs-grant',
    locator: 'needs-grant',
    consent: 'needs-grant',
    clinical: 'needs-grant',
    insurance: 'needs-grant',
    'access-log': 'needs-grant',
    'patient-index': 'deny',
    aggregate: 'deny',
    audit: 'allow',
    'break-the-glass': 'allow',
    'consent-manage': 'deny',
    'registry-read': 'deny',
    'registry-manage': 'deny',
    'patient-search': 'deny',
    'match-review': 'deny',
    'possible-matches': 'deny',
  },
};

/**
 * Purposes under which a clinician may read patient data (HL7 PurposeOfUse TREAT, ETREAT); with
 * any other purpose (research, payment…) every patient-scoped group and break-the-glass is denied.
 */
export const CLINICIAN_CARE_PURPOSES: ReadonlySet<PurposeOfUse> = new Set(['treatment', 'emergency']);

/**
 * Root fields whose answers are already limited to the caller's care relationship by the source
 * that answers them, so the care step need not (and cannot: no national ID names the people in
 * advance) check their `needs-care` fields: `searchPatients` returns to a clinician only people
 * whose record locator includes the clinician's facility (subgraphs/identity, tested through the
 * gateway). `needs-grant` fields under them stay refused.
 */
export const CARE_FILTERED_ROOTS: ReadonlySet<string> = new Set(['Query.searchPatients']);
