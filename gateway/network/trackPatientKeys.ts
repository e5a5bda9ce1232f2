import { Kind, TypeInfo, getNamedType, parse, print, visit, visitWithTypeInfo, type FieldNode, type GraphQLSchema } from 'graphql';
import { INTERNAL_ALIASES } from './internalAliases';

/**
 * Adds the patient key under an internal alias to every selection of a `Patient` in a source
 * operation, so the audit record lists every patient a search touched (NHS PDS: all matches),
 * even when the client selected no identifier.
 */
export function withPatientKeys(query: string, schema: GraphQLSchema, entityTypeName: string, keyField: string): string {
  const typeInfo = new TypeInfo(schema);
  const rewritten = visit(
    parse(query),
    visitWithTypeInfo(typeInfo, {
      Field: {
        leave(node): FieldNode | undefined {
          const type = typeInfo.getType();
          if (!node.selectionSet || !type || getNamedType(type).name !== entityTypeName) return undefined;
          const key: FieldNode = { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: INTERNAL_ALIASES.nationalId }, name: { kind: Kind.NAME, value: keyField } };
          return { ...node, selectionSet: { ...node.selectionSet, selections: [...node.selectionSet.selections, key] } };
        },
      },
    }),
  );
  return print(rewritten);
}

/** Collects the keys added by `withPatientKeys` into `into` and removes them from the data, in place. */
export function collectPatientKeys(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectPatientKeys(item, into);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const object = value as Record<string, unknown>;
  const key = object[INTERNAL_ALIASES.nationalId];
  if (typeof key === 'string') into.add(key);
  delete object[INTERNAL_ALIASES.nationalId];
  for (const field of Object.values(object)) collectPatientKeys(field, into);
}
