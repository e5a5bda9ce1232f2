import { buildSchema, parse } from 'graphql';
import type { Principal, Role } from '../../../../core/security/Principal';
import { fieldPolicyPlugin } from '../../../../gateway/policy/fieldPolicyPlugin';
import { readFieldRequirements } from '../../../../gateway/policy/readFieldRequirements';
import { ROLE_POLICIES } from '../../../../gateway/policy/rolePolicies';
import { apiSchemaOf } from '../../../../gateway/supergraph/apiSchemaOf';
import { composeSupergraph } from '../../../../gateway/supergraph/composeSupergraph';
import { CONTRACT_NAMES, loadContract } from '../../../../subgraphs/contracts';
import type { GatewayContext } from '../../../../gateway/server/GatewayContext';
import { RequestEvents } from '../../../../gateway/server/RequestEvents';

const schema = buildSchema(apiSchemaOf(composeSupergraph()));
const plugin = fieldPolicyPlugin({ requirements: readFieldRequirements(CONTRACT_NAMES.map((n) => loadContract(n).typeDefs)), rolePolicies: ROLE_POLICIES });

function principal(role: Role, sub = `demo-${role}`, purposeOfUse: Principal['purposeOfUse'] = 'treatment'): Principal {
  return { sub, role, facilityCode: role === 'clinician' || role === 'registrar' ? '01901' : null, scopes: [], purposeOfUse, tokenId: null };
}

/** Runs the plugin's pre-planning check as Apollo Server does; resolves to the error, if any. */
async function check(role: Role, query: string, variables: Record<string, unknown> = {}, sub?: string, purpose: Principal['purposeOfUse'] = 'treatment'): Promise<{ code: unknown; message: string; fields?: unknown } | undefined> {
  const hooks = await plugin.requestDidStart?.({} as never);
  const contextValue: GatewayContext = { principal: principal(role, sub, purpose), traceId: 't', events: new RequestEvents() };
  try {
    await hooks?.didResolveOperation?.({ document: parse(query), schema, contextValue, request: { variables } } as never);
    return undefined;
  } catch (error) {
    const e = error as { message: string; extensions: { code: unknown; fields?: unknown } };
    return { code: e.extensions.code, message: e.message, fields: e.extensions.fields };
  }
}

describe('fieldPolicyPlugin', () => {
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
    expect(other).toMatchObject({ code: 'FORBIDDEN', message: 'A patient may read only their own record.' });
    expect((await check('patient', '{ patients { totalCount } }', {}, own))?.fields).toEqual(['Query.patients']);
  });

  it('lets a clinician read a patient’s identity, clinical data and insurance', async () => {
    await expect(check('clinician', '{ patient(nationalId: "079085000001") { name { full } encounters { id } insuranceCard { status } insuredVisits { facilityCode } } }')).resolves.toBeUndefined();
  });

  it('lets a clinician read patient data only for treatment or an emergency; for research, aggregates only', async () => {
    const query = '{ patient(nationalId: "079085000001") { name { full } encounters { id } } }';
    await expect(check('clinician', query, {}, 'bs-1', 'emergency')).resolves.toBeUndefined();
    const research = await check('clinician', query, {}, 'bs-1', 'research');
    expect(research?.code).toBe('FORBIDDEN');
    expect(research?.message).toContain('purpose research');
    await expect(check('clinician', '{ encounterCount }', {}, 'bs-1', 'research')).resolves.toBeUndefined();
  });
});
