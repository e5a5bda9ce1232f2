import { Kind, buildSchema, parse } from 'graphql';
import type { Principal, Role } from '../../../../core/security/Principal';
import { fieldPolicyStep } from '../../../../gateway/policy/fieldPolicyStep';
import { readFieldRequirements } from '../../../../gateway/policy/readFieldRequirements';
import { ROLE_POLICIES } from '../../../../gateway/policy/rolePolicies';
import { apiSchemaOf } from '../../../../gateway/supergraph/apiSchemaOf';
import { composeSupergraph } from '../../../../gateway/supergraph/composeSupergraph';
import { CONTRACT_NAMES, loadContract } from '../../../../contracts/loadContract';
import type { OperationFacts } from '../../../../gateway/pipeline/OperationFacts';
import type { GatewayContext } from '../../../../gateway/server/GatewayContext';
import type { RecordLocatorLookup } from '../../../../gateway/policy/RecordLocatorLookup';
import { InMemoryGrantStore } from '../../../../gateway/state/InMemoryGrantStore';
import { RequestEvents, summarizeRequestEvents } from '../../../../gateway/server/RequestEvents';
import type { GrantStore } from '../../../../gateway/state/GrantStore';
import { enforceAccessModel } from '../../../../gateway/policy/enforceAccessModel';
import { PatientGraphError } from '../../../../core/errors/PatientGraphError';

const IN_CARE = '079085000001';
const OUTSIDE = '079085000002';
/** The record locator as the identity subgraph would answer it (a port, not our module). */
class FixedLocator implements RecordLocatorLookup {
  readonly sourceCode = 'identity';
  asked = 0;
  async facilityCodesOf(ids: readonly string[]): Promise<ReadonlyMap<string, readonly string[]>> {
    this.asked += 1;
    const known = new Map<string, readonly string[]>([[IN_CARE, ['01901', '79902']], [OUTSIDE, ['79902']]]);
    return new Map(ids.flatMap((id) => (known.has(id) ? [[id, known.get(id) ?? []] as const] : [])));
  }
}
const locator = new FixedLocator();
const grants = new InMemoryGrantStore();
const schema = buildSchema(apiSchemaOf(composeSupergraph()));
const step = fieldPolicyStep({ requirements: readFieldRequirements(CONTRACT_NAMES.map((n) => loadContract(n).typeDefs)), rolePolicies: ROLE_POLICIES, care: { locator, grants } });
let lastContext: GatewayContext | undefined;

function principal(role: Role, sub = `demo-${role}`, purposeOfUse: Principal['purposeOfUse'] = 'treatment'): Principal {
  return { sub, role, facilityCode: role === 'clinician' || role === 'registrar' ? '01901' : null, scopes: [], purposeOfUse, tokenId: null };
}

/** Runs the step as the request pipeline does before planning; resolves to its refusal, if any. */
async function check(role: Role, query: string, variables: Record<string, unknown> = {}, sub?: string, purpose: Principal['purposeOfUse'] = 'treatment'): Promise<{ code: unknown; message: string; fields?: unknown } | undefined> {
  const contextValue: GatewayContext = { principal: principal(role, sub, purpose), traceId: 't', events: new RequestEvents() };
  lastContext = contextValue;
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (operation?.kind !== Kind.OPERATION_DEFINITION) throw new Error('test query has no operation');
  // Only the facts the step reads (the pipeline computes them all, gateway/pipeline/OperationFacts.ts).
  const facts = { document, operation, schema } as Partial<OperationFacts> as OperationFacts;
  const refusal = await step.run({ principal: contextValue.principal, facts, variables, apollo: { contextValue, schema, queryHash: query, request: { query, variables } } as never });
  return refusal ? { code: refusal.extensions.code, message: refusal.message, fields: refusal.extensions.fields } : undefined;
}

describe('fieldPolicyStep', () => {
  it('lets an analyst read aggregates and de-identified clinical lists of a cohort', async () => {
    await expect(check('analyst', '{ diagnosisCounts { code encounters } patients(first: 5) { edges { node { gender encounters { diagnoses { code { code } } } } } } }')).resolves.toBeUndefined();
  });

  it.each([
    ['directly', '{ patients { edges { node { name { full } } } } }', ['Patient.name']],
    ['through an alias', '{ patients { edges { node { who: name { full } id: nationalId } } } }', ['Patient.name', 'Patient.nationalId']],
    ['through a named fragment', '{ patients { edges { node { ...P } } } } fragment P on Patient { birthDate }', ['Patient.birthDate']],
    ['through a fragment on an interface', '{ patients { edges { node { ... on Person { name { full } } } } } }', ['Patient.name']],
    ['in a nested field', '{ patients { edges { node { encounters { cost { insuranceCardUsed } } } } } }', ['EncounterCost.insuranceCardUsed']],
    ['by looking a patient up by national ID', '{ patient(nationalId: "079085000001") { gender } }', ['Query.patient']],
  ])('forbids an analyst a direct identifier %s, naming the fields', async (_how, query, fields) => {
    const error = await check('analyst', query);
    expect(error?.code).toBe('FORBIDDEN');
    expect(error?.fields).toEqual(fields);
  });

  it('forbids a registrar clinical data but lets them list the index and check a card', async () => {
    await expect(check('registrar', '{ patients { edges { node { name { full } facilityCodes } } } }')).resolves.toBeUndefined();
    await expect(check('registrar', '{ patient(nationalId: "079085000001") { insuranceCard { status } } }')).resolves.toBeUndefined();
    expect((await check('registrar', '{ patient(nationalId: "079085000001") { encounters { id } } }'))?.fields).toEqual(['Patient.encounters']);
  });

  it('forbids an admin clinical data', async () => {
    expect((await check('admin', '{ patients { edges { node { conditions { id } } } } }'))?.fields).toEqual(['Patient.conditions']);
  });

  it('lets a patient read their own record and nobody else’s, even through a variable', async () => {
    const own = '056094939225';
    await expect(check('patient', `{ patient(nationalId: "${own}") { name { full } encounters { id } } }`, {}, own)).resolves.toBeUndefined();
    const other = await check('patient', 'query($id: ID!) { patient(nationalId: $id) { name { full } } }', { id: '079085000001' }, own);
    expect(other?.code).toBe('FORBIDDEN');
    expect(other?.message).toMatch(/^A patient may read only their own record/);
    expect(other?.fields).toEqual(['Patient.name', 'Query.patient']);
    expect((await check('patient', '{ patients { totalCount } }', {}, own))?.fields).toEqual(['Query.patients']);
  });

  it('lets a clinician read the identity, clinical data and insurance of a patient in their facility’s care', async () => {
    await expect(check('clinician', `{ patient(nationalId: "${IN_CARE}") { name { full } gender facilityCodes consent { optedOutCategories } encounters { id } insuranceCard { status } insuredVisits { facilityCode } } }`)).resolves.toBeUndefined();
    expect(summarizeRequestEvents(lastContext?.events.list() ?? []).usedGrant).toBe(false);
  });

  it.each([
    ['name', '{ name { full } }', ['Patient.name']],
    ['birth date and gender', '{ birthDate gender }', ['Patient.birthDate', 'Patient.gender']],
    ['identifiers and card number', '{ identifiers { value } insuranceNumber }', ['Patient.identifiers', 'Patient.insuranceNumber']],
    ['the record locator', '{ facilityCodes }', ['Patient.facilityCodes']],
    ['consent', '{ consent { optedOutFacilityCodes } }', ['Patient.consent']],
    ['through a named fragment', '{ ...P } fragment P on Patient { name { full } }', ['Patient.name']],
    ['through an interface', '{ ... on Person { birthDate } }', ['Patient.birthDate']],
  ])('refuses a clinician the %s of a patient outside their care, naming the rule', async (_what, selection, fields) => {
    const [head, ...rest] = selection.split(' fragment ');
    const query = `query($id: ID!) { patient(nationalId: $id) ${head ?? ''} }${rest.length > 0 ? ` fragment ${rest.join(' fragment ')}` : ''}`;
    const error = await check('clinician', query, { id: OUTSIDE }, 'bs-outside');
    expect(error).toMatchObject({ code: 'FORBIDDEN', fields });
    expect(error?.message).toContain('access rule "needs-care"');
    expect(error?.message).not.toContain(OUTSIDE);
  });

  it('refuses a person the index does not know like one outside the care relationship, and answers a bare look-up', async () => {
    expect((await check('clinician', '{ patient(nationalId: "079085000009") { name { full } } }'))?.fields).toEqual(['Patient.name']);
    await expect(check('clinician', `{ patient(nationalId: "${OUTSIDE}") { nationalId } }`)).resolves.toBeUndefined();
  });

  it('lets a clinician holding a break-the-glass grant read a patient outside their care, and marks the request for review', async () => {
    await grants.create({ sub: 'bs-glass', nationalId: OUTSIDE, reason: 'unconscious in the emergency room', grantedAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 60_000).toISOString() });
    await expect(check('clinician', `{ patient(nationalId: "${OUTSIDE}") { name { full } facilityCodes encounters { id } } }`, {}, 'bs-glass')).resolves.toBeUndefined();
    expect(summarizeRequestEvents(lastContext?.events.list() ?? []).usedGrant).toBe(true);
    expect(summarizeRequestEvents(lastContext?.events.list() ?? []).sources.has('identity')).toBe(true);
  });

  it('keeps an auditor to audit data; a patient’s record needs a break-the-glass grant', async () => {
    await expect(check('auditor', '{ auditEvents(first: 5) { seq } }')).resolves.toBeUndefined();
    const refused = await check('auditor', `{ patient(nationalId: "${IN_CARE}") { name { full } accessLog { who } } }`, {}, 'au-1');
    expect(refused).toMatchObject({ code: 'FORBIDDEN', fields: ['Patient.accessLog', 'Patient.name', 'Query.patient'] });
    expect(refused?.message).toContain('access rule "needs-grant"');
    await grants.create({ sub: 'au-1', nationalId: IN_CARE, reason: 'complaint investigation #42', grantedAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 60_000).toISOString() });
    await expect(check('auditor', `{ patient(nationalId: "${IN_CARE}") { name { full } } }`, {}, 'au-1')).resolves.toBeUndefined();
    expect(summarizeRequestEvents(lastContext?.events.list() ?? []).usedGrant).toBe(true);
  });

  it('ignores grants held by a role that may not break the glass', async () => {
    await grants.create({ sub: '056094939225', nationalId: OUTSIDE, reason: 'should never count at all', grantedAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 60_000).toISOString() });
    expect((await check('patient', `{ patient(nationalId: "${OUTSIDE}") { name { full } } }`, {}, '056094939225'))?.code).toBe('FORBIDDEN');
  });

  it('forbids an analyst the record locator (where a person was treated identifies them)', async () => {
    expect((await check('analyst', '{ patients { edges { node { gender facilityCodes } } } }'))?.fields).toEqual(['Patient.facilityCodes']);
  });

  it('asks the record locator only when a field needs the care relationship', async () => {
    const before = locator.asked;
    await check('clinician', `{ patient(nationalId: "${OUTSIDE}") { nationalId } encounterCount }`);
    await check('analyst', '{ patients { edges { node { gender } } } }');
    expect(locator.asked).toBe(before);
  });

  it('lets a clinician read patient data only for treatment or an emergency; for research, aggregates only', async () => {
    const query = '{ patient(nationalId: "079085000001") { name { full } encounters { id } } }';
    await expect(check('clinician', query, {}, 'bs-1', 'emergency')).resolves.toBeUndefined();
    const research = await check('clinician', query, {}, 'bs-1', 'research');
    expect(research?.code).toBe('FORBIDDEN');
    expect(research?.message).toContain('purpose research');
    await expect(check('clinician', '{ encounterCount }', {}, 'bs-1', 'research')).resolves.toBeUndefined();
  });

  it('refuses with SOURCE_UNAVAILABLE (503) when the record locator cannot be asked: no care relationship is assumed', async () => {
    const down: RecordLocatorLookup = {
      sourceCode: 'identity',
      facilityCodesOf: () => Promise.reject(new PatientGraphError('SOURCE_UNAVAILABLE', 'patient index is unavailable', { source: 'identity' })),
    };
    const requirements = readFieldRequirements(CONTRACT_NAMES.map((n) => loadContract(n).typeDefs));
    const document = parse(`{ patient(nationalId: "${IN_CARE}") { name { full } } }`);
    const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
    if (operation?.kind !== Kind.OPERATION_DEFINITION) throw new Error('no operation');
    const error = await enforceAccessModel({ document, operation, schema, principal: principal('clinician'), variables: {} }, { requirements, rolePolicies: ROLE_POLICIES, care: { locator: down, grants } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ extensions: { code: 'SOURCE_UNAVAILABLE', http: { status: 503 } } });
    expect((error as Error).message).not.toContain(IN_CARE);
  });

  it('refuses with ACCESS_STATE_UNAVAILABLE (503) when the grant store cannot be read, rather than guess', async () => {
    const broken: GrantStore = { create: () => Promise.resolve(), activeFor: () => Promise.reject(new Error('connection refused')) };
    const requirements = readFieldRequirements(CONTRACT_NAMES.map((n) => loadContract(n).typeDefs));
    const document = parse(`{ patient(nationalId: "${OUTSIDE}") { name { full } } }`);
    const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
    if (operation?.kind !== Kind.OPERATION_DEFINITION) throw new Error('no operation');
    const error = await enforceAccessModel({ document, operation, schema, principal: principal('clinician'), variables: {} }, { requirements, rolePolicies: ROLE_POLICIES, care: { locator, grants: broken } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ extensions: { code: 'ACCESS_STATE_UNAVAILABLE', http: { status: 503 } } });
  });
});
