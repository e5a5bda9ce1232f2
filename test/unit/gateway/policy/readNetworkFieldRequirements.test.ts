import { parse } from 'graphql';
import { readNetworkFieldRequirements, UNDECLARED_POLICY } from '../../../../gateway/policy/readNetworkFieldRequirements';
import { satisfies } from '../../../../gateway/policy/checkFieldAccess';
import { ROLE_POLICIES } from '../../../../gateway/policy/rolePolicies';
import { CONTRACT_NAMES, loadContract } from '../../../../contracts/loadContract';
import type { Principal, Role } from '../../../../core/security/Principal';

const principalOf = (role: Role): Principal => ({ sub: `unit-${role}`, role, facilityCode: '01001', scopes: [], purposeOfUse: 'treatment', tokenId: null });

const shipped = CONTRACT_NAMES.map((name) => loadContract(name).typeDefs);
const registered = parse(`
  directive @policy(policies: [[String!]!]!) on FIELD_DEFINITION | OBJECT | SCALAR | ENUM
  directive @authenticated on FIELD_DEFINITION | OBJECT | SCALAR | ENUM
  type Patient @key(fields: "nationalId") {
    nationalId: ID!
    studies: [Study!]! @policy(policies: [["clinical"]])
    notes: String
    signedInOnly: String @authenticated
    unknownGroup: String @policy(policies: [["imaging-special"]])
  }
  type Study @policy(policies: [["clinical"]]) { modality: String! }
  type Query { everything: [Study!]! }
`);

/** docs/registry.md §7: the access rules of a registered contract, least privilege first. */
describe('readNetworkFieldRequirements', () => {
  const requirements = readNetworkFieldRequirements(shipped, [registered]);
  const everyRole = Object.keys(ROLE_POLICIES) as (keyof typeof ROLE_POLICIES)[];
  const anyRoleMayRead = (coordinate: string): boolean =>
    everyRole.some((role) => {
      const requirement = requirements.get(coordinate);
      return !requirement || satisfies(requirement, principalOf(role), ROLE_POLICIES[role]);
    });

  it('denies to every role a new field with no field group, or only @authenticated, or a group the model does not know', () => {
    for (const coordinate of ['Patient.notes', 'Patient.signedInOnly', 'Patient.unknownGroup', 'Query.everything']) {
      expect(anyRoleMayRead(coordinate)).toBe(false);
    }
    expect(requirements.get('Patient.notes')?.policies).toEqual([[UNDECLARED_POLICY]]);
  });

  it('keeps the field groups a new field declares, on itself or on the type that holds it', () => {
    expect(requirements.get('Patient.studies')?.policies).toEqual([['clinical']]);
    expect(requirements.get('Study.modality')).toBeUndefined();
    expect(requirements.get('Study')?.policies).toEqual([['clinical']]);
  });

  it('leaves the requirements of the shipped contracts’ fields as they were', () => {
    const alone = readNetworkFieldRequirements(shipped, []);
    expect(requirements.get('Patient.nationalId')).toEqual(alone.get('Patient.nationalId'));
  });
});
