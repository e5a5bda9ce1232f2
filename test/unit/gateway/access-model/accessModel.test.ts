import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, getNamedType, isObjectType, isInterfaceType, type GraphQLNamedType, type GraphQLSchema } from 'graphql';
import { ROLES } from '../../../../core/security/Principal';
import { ACCESS_MODEL, CARE_FILTERED_ROOTS, FIELD_GROUPS, FIELD_GROUP_INFO } from '../../../../gateway/access-model/accessModel';
import { fieldsByGroup } from '../../../../gateway/access-model/fieldsByGroup';
import { renderAccessTable } from '../../../../gateway/access-model/renderAccessTable';
import { readFieldRequirements } from '../../../../gateway/policy/readFieldRequirements';
import { apiSchemaOf } from '../../../../gateway/supergraph/apiSchemaOf';
import { composeSupergraph } from '../../../../gateway/supergraph/composeSupergraph';
import { CONTRACT_NAMES, loadContract } from '../../../../contracts/loadContract';

const requirements = readFieldRequirements(CONTRACT_NAMES.map((name) => loadContract(name).typeDefs));
const schema = buildSchema(apiSchemaOf(composeSupergraph()));
const README = readFileSync(join(__dirname, '../../../../README.md'), 'utf8');

/** Root fields from which a `Patient` can be reached (through any chain of object fields). */
function rootsReachingPatient(api: GraphQLSchema): string[] {
  const reaches = (type: GraphQLNamedType, seen: Set<string>): boolean => {
    if (type.name === 'Patient') return true;
    if (seen.has(type.name) || !(isObjectType(type) || isInterfaceType(type))) return false;
    seen.add(type.name);
    return Object.values(type.getFields()).some((field) => reaches(getNamedType(field.type), seen));
  };
  return [api.getQueryType(), api.getMutationType()].flatMap((root) =>
    root ? Object.values(root.getFields()).filter((field) => reaches(getNamedType(field.type), new Set())).map((field) => `${root.name}.${field.name}`) : [],
  );
}

describe('the access model', () => {
  it('is the README’s "Who may see what" table, field for field', () => {
    const block = /<!-- access-model:begin -->\n([\s\S]*?)\n<!-- access-model:end -->/.exec(README)?.[1];
    // On failure: paste the expected text between the README markers (or fix the model).
    expect(block).toBe(renderAccessTable(fieldsByGroup(requirements)));
  });

  it('names exactly the field groups the contracts use in @policy, each used by some field', () => {
    const used = new Set([...requirements.values()].flatMap((r) => (r.policies ?? []).flat()));
    expect([...used].sort()).toEqual([...FIELD_GROUPS].sort());
  });

  it('puts every field of a patient under a policy (no field of Patient is readable by role alone)', () => {
    const patient = schema.getType('Patient');
    if (!isObjectType(patient)) throw new Error('the supergraph has no Patient type');
    const unguarded = Object.keys(patient.getFields()).filter((field) => !requirements.get(`Patient.${field}`)?.policies);
    expect(unguarded).toEqual([]);
  });

  it('keeps roles that read patients by care relationship or grant to the one root that names the patient', () => {
    // The care-relationship step knows the patient only from `patient(nationalId:)`, or from a
    // root whose source limits its answers to the caller's care (CARE_FILTERED_ROOTS).
    const roots = rootsReachingPatient(schema);
    expect(roots.sort()).toEqual(['Mutation.resolveMatch', 'Query.matchReviews', 'Query.patient', 'Query.patients', 'Query.searchPatients']);
    const groupOf = (root: string): string | undefined => requirements.get(root)?.policies?.[0]?.[0];
    for (const role of ROLES) {
      const byRelationship = FIELD_GROUPS.some((g) => ACCESS_MODEL[role][g] === 'needs-care' || ACCESS_MODEL[role][g] === 'needs-grant');
      if (!byRelationship) continue;
      for (const root of roots.filter((r) => r !== 'Query.patient' && !CARE_FILTERED_ROOTS.has(r))) {
        const group = groupOf(root);
        expect([role, root, group && (ACCESS_MODEL[role] as Record<string, string>)[group]]).toEqual([role, root, 'deny']);
      }
    }
  });

  it('uses the care relationship and grants only for groups about one patient', () => {
    for (const group of FIELD_GROUPS.filter((g) => !FIELD_GROUP_INFO[g].patientScoped)) {
      for (const role of ROLES) expect([group, role, ['allow', 'deny'].includes(ACCESS_MODEL[role][group])]).toEqual([group, role, true]);
    }
  });

  it('keeps the promises of docs/security.md: identity needs care, auditors need a grant, the locator is identifying for analysts', () => {
    for (const group of ['identifying', 'demographic', 'locator', 'consent', 'clinical', 'insurance'] as const) {
      expect(ACCESS_MODEL.clinician[group]).toBe('needs-care');
      expect(ACCESS_MODEL.auditor[group]).toBe('needs-grant');
    }
    expect(ACCESS_MODEL.auditor.audit).toBe('allow');
    expect(ACCESS_MODEL.auditor['break-the-glass']).toBe('allow');
    expect(ACCESS_MODEL.analyst.locator).toBe('deny');
    expect(ACCESS_MODEL.analyst.identifying).toBe('deny');
    expect(requirements.get('Patient.facilityCodes')?.policies).toEqual([['locator']]);
  });
});
