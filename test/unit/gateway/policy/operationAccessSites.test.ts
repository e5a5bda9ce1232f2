import { buildSchema, getOperationAST, parse } from 'graphql';
import { computeOperationAccessSites, operationAccessSites } from '../../../../gateway/policy/OperationAccessSites';
import { apiSchemaOf } from '../../../../gateway/supergraph/apiSchemaOf';
import { composeSupergraph } from '../../../../gateway/supergraph/composeSupergraph';

const sdl = apiSchemaOf(composeSupergraph());
const schema = buildSchema(sdl);

function operationOf(query: string): { document: ReturnType<typeof parse>; operation: NonNullable<ReturnType<typeof getOperationAST>> } {
  const document = parse(query);
  const operation = getOperationAST(document);
  if (!operation) throw new Error('test query without a single operation');
  return { document, operation };
}

describe('operationAccessSites', () => {
  it('places every field under its patient, through aliases and fragments, with its owners', () => {
    const { document, operation } = operationOf(`query($a: ID!) { one: patient(nationalId: $a) { ...F } two: patient(nationalId: "079085000001") { gender } }
      fragment F on Patient { encounters { id } }`);
    const sites = computeOperationAccessSites(document, operation, schema);
    expect(sites.patientArguments.map((v) => v?.kind)).toEqual(['Variable', 'StringValue']);
    const under = (coordinate: string): number[] => sites.care.filter((s) => s.coordinates.includes(coordinate)).map((s) => s.patient);
    expect(under('Patient.encounters')).toEqual([0]);
    expect(under('Patient.gender')).toEqual([1]);
    expect(under('Query.patient')).toEqual([0, 1]);
    // The role-level walk sees the fragment definition once, with the type each field returns.
    expect(sites.policy.find((s) => s.coordinates.includes('Patient.encounters'))?.namedType).toBe('Encounter');
  });

  it('is computed once per operation and schema: the same object again, a new one for a new schema', () => {
    const { document, operation } = operationOf('query($id: ID!) { patient(nationalId: $id) { name { full } } }');
    const first = operationAccessSites(document, operation, schema);
    expect(operationAccessSites(document, operation, schema)).toBe(first);
    const next = buildSchema(sdl);
    const again = operationAccessSites(document, operation, next);
    expect(again).not.toBe(first);
    expect(again.schema).toBe(next);
  });
});
