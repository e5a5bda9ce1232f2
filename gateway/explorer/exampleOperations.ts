/** One example operation the explorer opens in a tab: what a caller of that role may run. */
export interface ExampleOperation {
  readonly role: 'clinician' | 'analyst' | 'patient' | 'registrar' | 'admin' | 'auditor';
  readonly title: string;
  readonly query: string;
  readonly variables?: Readonly<Record<string, unknown>>;
}

/** The national ID of the README's examples (synthetic; `npm start` prints one that has records). */
const EXAMPLE_NATIONAL_ID = '092212223492';

/**
 * The explorer's example operations, one or more per role, each within what that role may read
 * (docs/architecture.md, README "Who may see what"); test/unit/gateway/explorer checks each one
 * against the published schema.
 */
export const EXAMPLE_OPERATIONS: readonly ExampleOperation[] = [
  {
    role: 'clinician',
    title: 'Clinician: one merged record',
    query: `# A clinician, for treatment, reads one patient's record from every hospital that treated them.
query MergedRecord($nationalId: ID!) {
  patient(nationalId: $nationalId) {
    nationalId
    name { full }
    birthDate
    gender
    facilityCodes
    encounters {
      id
      period { start end }
      source { facilityCode facilityName }
      match { method confidence }
      diagnoses { code { system code display } }
    }
    insuranceCard { number status validTo }
  }
}`,
    variables: { nationalId: EXAMPLE_NATIONAL_ID },
  },
  {
    role: 'analyst',
    title: 'Analyst: diagnoses across hospitals',
    query: `# An analyst sees aggregates only: no patient is identified.
query DiagnosisCounts {
  diagnosisCounts(first: 10, from: "2025-01-01") { code display encounters }
  encounterCount
}`,
  },
  {
    role: 'patient',
    title: 'Patient: my record and who read it',
    query: `# A patient reads their own record (the token's subject is their national ID).
query MyRecord($nationalId: ID!) {
  patient(nationalId: $nationalId) {
    name { full }
    encounters { period { start end } source { facilityName } diagnoses { code { code display } } }
    insuranceCard { number status validTo }
  }
}`,
    variables: { nationalId: EXAMPLE_NATIONAL_ID },
  },
  {
    role: 'registrar',
    title: 'Registrar: browse the patient index',
    query: `# A registrar pages through the patient index (Relay cursor connection).
query PatientIndex($after: String) {
  patients(first: 20, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { nationalId name { full } facilityCodes } }
  }
}`,
  },
  {
    role: 'admin',
    title: 'Admin: the clinical sources',
    query: `# Which hospital sources answer, and over which adapter.
query Sources {
  clinicalSources { facilityCode facilityName system }
  encounterCount
}`,
  },
  {
    role: 'auditor',
    title: 'Auditor: the audit trail',
    query: `# Every access is audited: what was asked, by whom, never the results.
query AuditTrail {
  auditEvents(first: 20) { seq time sub role facilityCode purposeOfUse operationName }
}`,
  },
];
