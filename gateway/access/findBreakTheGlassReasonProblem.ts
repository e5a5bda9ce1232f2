import { Kind, TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema, type ValueNode } from 'graphql';
import { parseBreakTheGlassReason } from './parseBreakTheGlassReason';

/** The first problem of a `breakTheGlass` reason in the document (literal or variable), if any. */
export function findBreakTheGlassReasonProblem(document: DocumentNode, schema: GraphQLSchema, variables: Readonly<Record<string, unknown>>): string | undefined {
  const mutationType = schema.getMutationType();
  if (!mutationType) return undefined;
  const typeInfo = new TypeInfo(schema);
  let problem: string | undefined;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Argument(node) {
        if (problem !== undefined || node.name.value !== 'reason') return;
        if (typeInfo.getParentType() !== mutationType || typeInfo.getFieldDef()?.name !== 'breakTheGlass') return;
        const value = stringOf(node.value, variables);
        // A missing or non-string value is the schema's to refuse (GRAPHQL_VALIDATION_FAILED / BAD_USER_INPUT).
        if (value === undefined) return;
        const parsed = parseBreakTheGlassReason(value);
        if (parsed.kind === 'invalid') problem = parsed.problem;
      },
    }),
  );
  return problem;
}

function stringOf(node: ValueNode, variables: Readonly<Record<string, unknown>>): string | undefined {
  if (node.kind === Kind.STRING) return node.value;
  if (node.kind === Kind.VARIABLE) {
    const value = variables[node.name.value];
    return typeof value === 'string' ? value : undefined;
  }
  return undefined;
}
