import { Kind, TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema, type ValueNode } from 'graphql';
import { argumentCoordinate, type IdentifierArguments, type IdentifierKind } from './identifierArguments';

/** Every value an operation passes to arguments of one identifier kind (literals and variables). */
export function collectIdentifierValues(
  document: DocumentNode,
  schema: GraphQLSchema,
  identifierArguments: IdentifierArguments,
  kind: IdentifierKind,
  variables: Readonly<Record<string, unknown>>,
): string[] {
  const values: string[] = [];
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Argument(node) {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (!parent || !field || identifierArguments.get(argumentCoordinate(parent.name, field.name, node.name.value)) !== kind) return;
        values.push(...stringsOf(node.value, variables));
      },
    }),
  );
  return values;
}

function stringsOf(node: ValueNode, variables: Readonly<Record<string, unknown>>): string[] {
  switch (node.kind) {
    case Kind.STRING:
      return [node.value];
    case Kind.LIST:
      return node.values.flatMap((v) => stringsOf(v, variables));
    case Kind.VARIABLE: {
      const value = variables[node.name.value];
      const items: unknown[] = Array.isArray(value) ? value : [value];
      return items.filter((v): v is string => typeof v === 'string');
    }
    default:
      return [];
  }
}
