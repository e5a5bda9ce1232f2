import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  TypeInfo,
  getNamedType,
  isAbstractType,
  visit,
  visitWithTypeInfo,
  type FragmentDefinitionNode,
  type GraphQLSchema,
} from 'graphql';
import type { Principal, Role } from '../../core/security/Principal';
import type { GatewayContext } from '../server/GatewayContext';
import { satisfies } from './checkFieldAccess';
import { checkCareRelationship, type CareRelationshipFacts } from './checkCareRelationship';
import { grantedPolicies } from './rolePolicies';
import type { FieldRequirements } from './FieldRequirement';

export interface FieldPolicyOptions {
  readonly requirements: FieldRequirements;
  readonly rolePolicies: Readonly<Record<Role, ReadonlySet<string>>>;
  /** The record locator and the grants, for the care-relationship step. */
  readonly care: CareRelationshipFacts;
}

/**
 * Enforces the contracts' `@authenticated` / `@requiresScopes` / `@policy` on the operation BEFORE
 * it is planned, so a forbidden field costs no source a request. It walks every selection with
 * type information, so aliases, fragments, nested fields and interfaces are all seen: a field
 * selected on an interface must be allowed on the interface and on every type implementing it.
 * Then the row-level rules of the access model (gateway/access-model/accessModel.ts): fields a
 * role may read only in the care relationship or under break-the-glass (checkCareRelationship).
 */
export function fieldPolicyPlugin(options: FieldPolicyOptions): ApolloServerPlugin<GatewayContext> {
  if (options.requirements.size === 0) throw new Error('fieldPolicyPlugin: the contracts declare no field policies');
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, schema, contextValue, request, operation }) {
          const principal = contextValue.principal;
          const granted = grantedPolicies(principal, options.rolePolicies);
          const denied = deniedCoordinates(document, schema, options.requirements, principal, granted);
          if (denied.length > 0) {
            throw new GraphQLError(
              `Your role (${principal?.role ?? 'anonymous'}${principal ? `, purpose ${principal.purposeOfUse}` : ''}) may not read: ${denied.join(', ')} (access rule "deny").`,
              { extensions: { code: 'FORBIDDEN', fields: denied, rule: 'deny', http: { status: 403 } } },
            );
          }
          // Without a principal nothing passed the role check; without an operation nothing runs.
          if (!principal || !operation) return;
          const fragments = document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
          const decision = await checkCareRelationship(
            { operation, fragments, schema, requirements: options.requirements, principal, variables: request.variables ?? {} },
            options.care,
          );
          for (const source of decision.sourcesAsked) contextValue.touched.sources.add(source);
          if (decision.kind === 'refused') throw decision.error;
          // Read only because of a grant: the audit record is flagged for review.
          if (decision.usedGrant) contextValue.touched.usedBreakTheGlass = true;
        },
      };
    },
  };
}

function deniedCoordinates(
  document: Parameters<typeof visit>[0],
  schema: GraphQLSchema,
  requirements: FieldRequirements,
  principal: Principal | null,
  granted: ReadonlySet<string>,
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
        for (const owner of owners) check(`${owner.name}.${field.name}`);
        check(getNamedType(field.type).name);
      },
    }),
  );
  return [...denied].sort();
}
