import { ROLES, type Role } from '../../../core/security/Principal';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import type { SyntheticPerson } from '../../../demo/population/types';
import { startDemoNetwork, type DemoNetwork } from '../../../demo/startDemoNetwork';
import { ACCESS_MODEL, FIELD_GROUPS, type AccessRule, type FieldGroup } from '../../../gateway/access-model/accessModel';
import { InMemoryRateLimiter } from '../../../gateway/limits/InMemoryRateLimiter';
import { InMemoryGrantStore } from '../../../gateway/state/InMemoryGrantStore';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL } from '../../helpers/postGraphQL';
import { tokenFor } from '../../helpers/tokens';

/**
 * The role × field group × relationship × grant matrix, generated from the access model and run
 * through the real gateway over HTTP: every cell's expected outcome (allowed, or FORBIDDEN with the
 * exact fields and rule) is derived here from ACCESS_MODEL alone, not from the enforcing code.
 */
const population = createDemoPopulation();
const facilitiesOf = (p: SyntheticPerson): string[] => [...new Set(p.records.map((r) => r.facilityCode))];
const eligible = population.people.filter((p) => p.card?.resultCode === '000' && p.records.length > 0 && p.records.every((r) => r.hasNationalId));
const [subject, other, glassTarget] = eligible;
const treatedAt = subject ? facilitiesOf(subject) : [];
const careFacility = treatedAt[0] ?? '';
const otherFacility = population.facilities.map((f) => f.code).find((code) => !treatedAt.includes(code)) ?? '';

type Relationship = 'in-care' | 'outside-care';
interface Cell {
  readonly role: Role;
  readonly relationship: Relationship;
  readonly grant: boolean;
}

/** One probe per field group: the selection that reads it, and the coordinates it touches. */
interface Probe {
  readonly query: (cell: Cell) => { query: string; variables: Record<string, unknown> };
  /** Field coordinates of the probe, with the group each belongs to. */
  readonly fields: readonly (readonly [string, FieldGroup])[];
  /**
   * For operations whose resolvers need state this demo network does not run (a runtime registry,
   * a persistent patient index): "allowed" means the field policy let it through and the resolver
   * answered with one of these codes instead of data.
   */
  readonly resolverCodes?: readonly string[];
}

const PATIENT_SELECTION: Readonly<Record<string, { selection: string; fields: readonly string[] }>> = {
  'patient-lookup': { selection: '__typename', fields: [] },
  'record-key': { selection: 'nationalId', fields: ['Patient.nationalId'] },
  identifying: { selection: 'name { full } birthDate identifiers { value } insuranceNumber', fields: ['Patient.birthDate', 'Patient.identifiers', 'Patient.insuranceNumber', 'Patient.name'] },
  demographic: { selection: 'gender', fields: ['Patient.gender'] },
  locator: { selection: 'facilityCodes', fields: ['Patient.facilityCodes'] },
  consent: { selection: 'consent { optedOutCategories }', fields: ['Patient.consent'] },
  clinical: { selection: 'encounters { id } insuredVisits { facilityCode }', fields: ['Patient.encounters', 'Patient.insuredVisits'] },
  insurance: { selection: 'insuranceCard { status }', fields: ['Patient.insuranceCard'] },
  'access-log': { selection: 'accessLog(first: 1) { who }', fields: ['Patient.accessLog'] },
};

/** The patient a cell's caller reads: their own record for the patient role in care, else `subject`'s or `other`'s. */
const readerSub = (cell: Cell): string => {
  if (cell.role === 'patient') return (cell.relationship === 'in-care' ? subject?.nationalId : other?.nationalId) ?? '';
  return `matrix-${cell.role}-${cell.relationship}`;
};
const readerFacility = (cell: Cell): string | undefined =>
  cell.role === 'clinician' || cell.role === 'registrar' ? (cell.relationship === 'in-care' ? careFacility : otherFacility) : undefined;

function probeOf(group: FieldGroup): Probe {
  const patient = PATIENT_SELECTION[group];
  if (patient) {
    return {
      query: () => ({ query: `query Probe($id: ID!) { patient(nationalId: $id) { ${patient.selection} } }`, variables: { id: subject?.nationalId } }),
      fields: [['Query.patient', 'patient-lookup'], ...patient.fields.map((f) => [f, group] as const)],
    };
  }
  switch (group) {
    case 'patient-index':
      return { query: () => ({ query: '{ patients(first: 1) { totalCount } }', variables: {} }), fields: [['Query.patients', group]] };
    case 'aggregate':
      return { query: () => ({ query: '{ encounterCount }', variables: {} }), fields: [['Query.encounterCount', group]] };
    case 'audit':
      return { query: () => ({ query: '{ auditEvents(first: 1) { seq } }', variables: {} }), fields: [['Query.auditEvents', group]] };
    case 'break-the-glass':
      // Another person than `subject`, so the grants this creates never change another cell.
      return {
        query: () => ({ query: 'mutation($id: ID!) { breakTheGlass(nationalId: $id, reason: "Access matrix: unconscious patient") { expiresAt } }', variables: { id: glassTarget?.nationalId } }),
        fields: [['Mutation.breakTheGlass', group]],
      };
    case 'consent-manage':
      // A patient sets their own choices (the resolver refuses anyone else's).
      return {
        query: (cell) => ({
          query: 'mutation($id: ID!) { setConsent(nationalId: $id, optedOutFacilityCodes: [], optedOutCategories: []) { optedOutCategories } }',
          variables: { id: cell.role === 'patient' ? readerSub(cell) : subject?.nationalId },
        }),
        fields: [['Mutation.setConsent', group]],
      };
    case 'registry-read':
      return { query: () => ({ query: '{ sources { code } }', variables: {} }), fields: [['Query.sources', group]] };
    case 'registry-manage':
      // A code no source has: nothing can change, whoever asks.
      return {
        query: () => ({ query: 'mutation { disableSource(code: "01999") { code } }', variables: {} }),
        fields: [['Mutation.disableSource', group]],
        resolverCodes: ['BAD_USER_INPUT'],
      };
    case 'patient-search':
      return {
        query: () => ({ query: '{ searchPatients(name: "Nguyễn Văn An", birthDate: "1980") { confidence } }', variables: {} }),
        fields: [['Query.searchPatients', group]],
        resolverCodes: ['PATIENT_INDEX_READ_ONLY'],
      };
    case 'possible-matches':
      // An argument rule: the field's own group applies too.
      return {
        query: () => ({ query: 'query Probe($id: ID!) { patient(nationalId: $id) { encounters(includePossibleMatches: true) { id } } }', variables: { id: subject?.nationalId } }),
        fields: [['Query.patient', 'patient-lookup'], ['Patient.encounters', 'clinical'], ['Patient.encounters(includePossibleMatches:)', group]],
      };
    case 'match-review':
      return {
        query: () => ({ query: '{ matchReviews(first: 1) { id } }', variables: {} }),
        fields: [['Query.matchReviews', group]],
        resolverCodes: ['PATIENT_INDEX_READ_ONLY'],
      };
    default:
      throw new Error(`the matrix has no probe for field group ${group}`);
  }
}

/** The model's answer for one rule in one cell (only roles that may break the glass hold grants). */
function allows(rule: AccessRule, cell: Cell): boolean {
  const grant = cell.grant && ACCESS_MODEL[cell.role]['break-the-glass'] === 'allow';
  const inCare = cell.relationship === 'in-care' && (cell.role === 'clinician' || cell.role === 'patient');
  switch (rule) {
    case 'allow':
      return true;
    case 'deny':
      return false;
    case 'needs-care':
      return inCare || grant;
    case 'needs-grant':
      return grant;
  }
}

type Expected = { readonly kind: 'allowed' } | { readonly kind: 'forbidden'; readonly fields: readonly string[]; readonly rule: string };

function expectedOutcome(probe: Probe, cell: Cell): Expected {
  const rules = probe.fields.map(([coordinate, group]) => [coordinate, ACCESS_MODEL[cell.role][group]] as const);
  const denied = rules.filter(([, rule]) => rule === 'deny').map(([c]) => c);
  if (denied.length > 0) return { kind: 'forbidden', fields: denied.sort(), rule: 'deny' };
  const refused = rules.filter(([, rule]) => !allows(rule, cell));
  if (refused.length === 0) return { kind: 'allowed' };
  return { kind: 'forbidden', fields: refused.map(([c]) => c).sort(), rule: refused.some(([, r]) => r === 'needs-grant') ? 'needs-grant' : 'needs-care' };
}

const cells = (grant: boolean): [string, Cell, FieldGroup][] =>
  ROLES.flatMap((role) =>
    (['in-care', 'outside-care'] as const).flatMap((relationship) =>
      FIELD_GROUPS.map((group): [string, Cell, FieldGroup] => [`${role} ${relationship} ${grant ? 'with' : 'without'} a grant: ${group}`, { role, relationship, grant }, group]),
    ),
  );

describe('the access matrix through the real gateway (every role × field group × relationship × grant)', () => {
  let network: DemoNetwork;
  const grants = new InMemoryGrantStore();

  beforeAll(async () => {
    if (!subject || !other || !glassTarget || careFacility === '' || otherFacility === '') throw new Error('fixture: the population lacks the people this matrix needs');
    network = await startDemoNetwork({
      logger: captureLogger().logger,
      population,
      hospitalKinds: 'synthetic',
      grants,
      // The matrix sends hundreds of requests per role; rate limits are tested elsewhere.
      rateLimits: { limiter: new InMemoryRateLimiter(), limitFor: () => null },
    });
  }, 120_000);

  afterAll(async () => {
    await network?.stop();
  });

  async function run(cell: Cell, group: FieldGroup): Promise<void> {
    const probe = probeOf(group);
    const { query, variables } = probe.query(cell);
    const facility = readerFacility(cell);
    const token = await tokenFor(cell.role, { sub: readerSub(cell), ...(facility ? { facilityCode: facility } : {}) });
    const { status, body } = await postGraphQL(network.gateway.url, query, variables, token);
    const expected = expectedOutcome(probe, cell);
    if (expected.kind === 'allowed' && probe.resolverCodes) {
      const codes = (body.errors ?? []).map((e) => e.extensions?.code);
      expect(codes.length).toBeGreaterThan(0);
      for (const code of codes) expect(probe.resolverCodes).toContain(code);
    } else if (expected.kind === 'allowed') {
      expect({ status, errors: body.errors }).toEqual({ status: 200, errors: undefined });
      expect(Object.values(body.data ?? {}).every((v) => v !== null)).toBe(true);
    } else {
      expect({ status, code: body.errors?.[0]?.extensions?.code, fields: body.errors?.[0]?.extensions?.fields, rule: body.errors?.[0]?.extensions?.rule }).toEqual({
        status: 403,
        code: 'FORBIDDEN',
        fields: expected.fields,
        rule: expected.rule,
      });
      expect(body.data ?? null).toBeNull();
    }
  }

  describe('without a break-the-glass grant', () => {
    it.each(cells(false))('%s', async (_name, cell, group) => run(cell, group));
  });

  describe('with an active break-the-glass grant for the patient', () => {
    beforeAll(async () => {
      const now = Date.now();
      for (const role of ROLES) {
        for (const relationship of ['in-care', 'outside-care'] as const) {
          const sub = readerSub({ role, relationship, grant: true });
          await grants.create({ sub, nationalId: subject?.nationalId ?? '', reason: 'access matrix grant', grantedAt: new Date(now).toISOString(), expiresAt: new Date(now + 3_600_000).toISOString() });
        }
      }
    });

    it.each(cells(true))('%s', async (_name, cell, group) => run(cell, group));

    it('flags for review every read that only a grant allowed', async () => {
      const records = await network.audit.read({ sub: readerSub({ role: 'auditor', relationship: 'outside-care', grant: true }), patient: subject?.nationalId ?? '' });
      const granted = records.filter((r) => r.outcome === 'success' && r.fields.includes('Query.patient'));
      expect(granted.length).toBeGreaterThan(0);
      expect(granted.every((r) => r.flags.includes('review'))).toBe(true);
      const inCare = await network.audit.read({ sub: readerSub({ role: 'clinician', relationship: 'in-care', grant: true }), patient: subject?.nationalId ?? '' });
      expect(inCare.filter((r) => r.outcome === 'success').every((r) => !r.flags.includes('review'))).toBe(true);
    });
  });

  it('has a probe for every field group of the model', () => {
    for (const group of FIELD_GROUPS) expect(probeOf(group).fields.length).toBeGreaterThan(0);
  });
});
