import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError, Kind, TypeInfo, visit, visitWithTypeInfo, type ValueNode } from 'graphql';
import { argumentCoordinate, checkIdentifier, type IdentifierArguments } from './identifierArguments';

/**
 * Validates identifier arguments (`@identifier` in the contracts) before the query is planned, so
 * a malformed national ID costs no source a request: `INVALID_IDENTIFIER`, HTTP 400, and a message
 * that says what is wrong without repeating the value.
 */
export function identifierValidationPlugin(identifierArguments: IdentifierArguments): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, schema, request }) {
          const variables = request.variables ?? {};
          const typeInfo = new TypeInfo(schema);
          const problems: GraphQLError[] = [];
          visit(
            document,
            visitWithTypeInfo(typeInfo, {
              Argument(node) {
                const parentType = typeInfo.getParentType();
                const field = typeInfo.getFieldDef();
                if (!parentType || !field) return;
                const coordinate = argumentCoordinate(parentType.name, field.name, node.name.value);
                const kind = identifierArguments.get(coordinate);
                if (!kind) return;
                for (const value of stringValues(node.value, variables)) {
                  const check = checkIdentifier(kind, value);
                  if (check.kind === 'invalid') {
                    problems.push(
                      new GraphQLError(`Invalid argument "${node.name.value}" of ${parentType.name}.${field.name}: ${check.reason}.`, {
                        nodes: [node],
                        extensions: { code: 'INVALID_IDENTIFIER', argument: coordinate, http: { status: 400 } },
                      }),
                    );
                  }
                }
              },
            }),
          );
          const [first] = problems;
          if (first) throw first;
        },
      };
    },
  };
}

/** Every string an argument value holds, from a literal or a variable (lists included). */
function stringValues(node: ValueNode, variables: Readonly<Record<string, unknown>>): string[] {
  switch (node.kind) {
    case Kind.STRING:
      return [node.value];
    case Kind.INT:
      return [node.value];
    case Kind.LIST:
      return node.values.flatMap((v) => stringValues(v, variables));
    case Kind.VARIABLE: {
      const value = variables[node.name.value];
      const items = Array.isArray(value) ? (value as unknown[]) : [value];
      return items.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number').map(String);
    }
    default:
      return [];
  }
}
