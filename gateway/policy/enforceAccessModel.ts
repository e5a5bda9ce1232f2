import {
  GraphQLError,
  Kind,
  TypeInfo,
  getNamedType,
  isAbstractType,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { Principal, Role } from '../../core/security/Principal';
import { askedArgumentCoordinates } from './askedArgumentCoordinates';
import { satisfies } from './checkFieldAccess';
import { checkCareRelationship, type CareRelationshipFacts } from './checkCareRelationship';
import type { FieldRequirements } from './FieldRequirement';
import type { LocatedRequest } from './RecordLocatorLookup';
import { grantedPolicies } from './rolePolicies';

export interface AccessModelOptions {
  readonly requirements: FieldRequirements;
  readonly rolePolicies: Readonly<Record<Role, ReadonlySet<string>>>;
  /** The record locator and the grants, for the care-relationship step. */
  readonly care: CareRelationshipFacts;
}

export interface AccessModelInput {
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  readonly schema: GraphQLSchema;
  readonly principal: Principal | null;
  readonly variables: Readonly<Record<string, unknown>>;
  /** Told of every source asked to decide, refused or not (the audit record names it). */
  readonly onSourceAsked?: (code: string) => void;
  /** The request being decided (its plan's fetch of the index can carry the record locator). */
  readonly request?: LocatedRequest;
}

/** What the step learned on the way, for the audit record. */
export interface AccessModelFacts {
  /** Something was readable only under a break-the-glass grant (the audit record is flagged). */
  readonly usedGrant: boolean;
  /** Sources asked to decide (the patient index, for the record locator). */
  readonly sourcesAsked: readonly string[];
}

/**
 * The "field policy and care relationship" step of the request pipeline (docs/architecture.md §9,
 * docs/security.md), before planning: first by role — the contracts' `@authenticated` /
 * `@requiresScopes` / `@policy` over every selection with type information, so aliases, fragments,
 * nested fields and interfaces are all seen (a field selected on an interface must be allowed on
 * the interface and on every type implementing it); then by patient — checkCareRelationship.
 * Throws FORBIDDEN (403) naming the fields and the rule of the access model; no side effect.
 */
export async function enforceAccessModel(input: AccessModelInput, options: AccessModelOptions): Promise<AccessModelFacts> {
  const { principal } = input;
  const granted = grantedPolicies(principal, options.rolePolicies);
  const denied = deniedCoordinates(input.document, input.schema, options.requirements, principal, granted, input.variables);
  if (denied.length > 0) {
    throw new GraphQLError(
      `Your role (${principal?.role ?? 'anonymous'}${principal ? `, purpose ${principal.purposeOfUse}` : ''}) may not read: ${denied.join(', ')} (access rule "deny").`,
      { extensions: { code: 'FORBIDDEN', fields: denied, rule: 'deny', http: { status: 403 } } },
    );
  }
  if (!principal) return { usedGrant: false, sourcesAsked: [] };
  const fragments = input.document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
  const decision = await checkCareRelationship(
    { operation: input.operation, fragments, schema: input.schema, requirements: options.requirements, principal, variables: input.variables, ...(input.request ? { request: input.request } : {}) },
    options.care,
  );
  for (const code of decision.sourcesAsked) input.onSourceAsked?.(code);
  if (decision.kind === 'refused') throw decision.error;
  return { usedGrant: decision.usedGrant, sourcesAsked: decision.sourcesAsked };
}

function deniedCoordinates(
  document: DocumentNode,
  schema: GraphQLSchema,
  requirements: FieldRequirements,
  principal: Principal | null,
  granted: ReadonlySet<string>,
  variables: Readonly<Record<string, unknown>>,
): string[] {
  const denied = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  const check = (coordinate: string): void => {
    const requirement = requirements.get(coordinate);
    if (requirement && !satisfies(requirement, principal, granted)) denied.add(coordinate);
  };
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (!parent || !field || node.name.value.startsWith('__')) return;
        const owners = isAbstractType(parent) ? [parent, ...schema.getPossibleTypes(parent)] : [parent];
        for (const owner of owners) {
          check(`${owner.name}.${field.name}`);
          for (const coordinate of askedArgumentCoordinates(node, `${owner.name}.${field.name}`, variables)) check(coordinate);
        }
        check(getNamedType(field.type).name);
      },
    }),
  );
  return [...denied].sort();
}
