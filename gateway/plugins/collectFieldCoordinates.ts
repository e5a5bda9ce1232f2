import { TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema } from 'graphql';

/** Every `Type.field` an operation selects (through aliases and fragments), sorted. */
export function collectFieldCoordinates(document: DocumentNode, schema: GraphQLSchema): `${string}.${string}`[] {
  const coordinates = new Set<`${string}.${string}`>();
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (parent && !node.name.value.startsWith('__')) coordinates.add(`${parent.name}.${node.name.value}`);
      },
    }),
  );
  return [...coordinates].sort();
}
