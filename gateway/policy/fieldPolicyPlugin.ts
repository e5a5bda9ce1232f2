import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  TypeInfo,
  getNamedType,
  isAbstractType,
  visit,
  visitWithTypeInfo,
  type GraphQLSchema,
  type ValueNode,
} from 'graphql';
import type { Principal, Role } from '../../core/security/Principal';
import type { GatewayContext } from '../server/GatewayContext';
import { satisfies } from './checkFieldAccess';
import { grantedPolicies } from './rolePolicies';
import type { FieldRequirements } from './FieldRequirement';

export interface FieldPolicyOptions {
  readonly requirements: FieldRequirements;
  readonly rolePolicies: Readonly<Record<Role, ReadonlySet<string>>>;
}

/**
 * Enforces the contracts' `@authenticated` / `@requiresScopes` / `@policy` on the operation BEFORE
 * it is planned, so a forbidden field costs no source a request. It walks every selection with
 * type information, so aliases, fragments, nested fields and interfaces are all seen: a field
 * selected on an interface must be allowed on the interface and on every type implementing it.
 * Row-level rule checked here too: a patient may look up only their own national ID.
 */
export function fieldPolicyPlugin(options: FieldPolicyOptions): ApolloServerPlugin<GatewayContext> {
  if (options.requirements.size === 0) throw new Error('fieldPolicyPlugin: the contracts declare no field policies');
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, schema, contextValue, request }) {
          const principal = contextValue.principal;
          const granted = grantedPolicies(principal, options.rolePolicies);
          const denied = deniedCoordinates(document, schema, options.requirements, principal, granted);
          if (denied.length > 0) {
            throw new GraphQLError(
              `Your role (${principal?.role ?? 'anonymous'}${principal ? `, purpose ${principal.purposeOfUse}` : ''}) may not read: ${denied.join(', ')}.`,
              { extensions: { code: 'FORBIDDEN', fields: denied, http: { status: 403 } } },
            );
          }
          if (principal?.role === 'patient') requireOwnRecord(document, schema, principal, request.variables ?? {});
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

/** `Query.patient(nationalId:)` of a patient principal must be their own. */
function requireOwnRecord(document: Parameters<typeof visit>[0], schema: GraphQLSchema, principal: Principal, variables: Readonly<Record<string, unknown>>): void {
  const typeInfo = new TypeInfo(schema);
  let foreign = false;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Argument(node) {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (parent?.name !== 'Query' || field?.name !== 'patient' || node.name.value !== 'nationalId') return;
        if (valueOf(node.value, variables) !== principal.sub) foreign = true;
      },
    }),
  );
  if (foreign) {
    throw new GraphQLError('A patient may read only their own record.', { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
  }
}

function valueOf(node: ValueNode, variables: Readonly<Record<string, unknown>>): unknown {
  if (node.kind === Kind.VARIABLE) return variables[node.name.value];
  return node.kind === Kind.STRING ? node.value : undefined;
}
