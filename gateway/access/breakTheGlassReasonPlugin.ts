import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError, Kind, TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema, type ValueNode } from 'graphql';
import { parseBreakTheGlassReason } from './parseBreakTheGlassReason';

/**
 * Checks every `Mutation.breakTheGlass(reason:)` before the operation is planned, so a reason that
 * is not one (too short, too long, invisible characters) is `BAD_USER_INPUT` with HTTP 400 and
 * nothing is executed: no audit record of a grant, no grant. The resolver checks again, as defence
 * in depth; this step exists because an error raised during execution cannot set the HTTP status.
 */
export function breakTheGlassReasonPlugin(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, schema, request }) {
          const problem = findBreakTheGlassReasonProblem(document, schema, request.variables ?? {});
          if (problem !== undefined) throw new GraphQLError(problem, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
        },
      };
    },
  };
}

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
