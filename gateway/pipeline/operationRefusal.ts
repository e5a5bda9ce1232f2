import { Kind, type DocumentNode, type GraphQLError, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { requestError } from './requestError';

/**
 * Whether the document names one operation this gateway can run. Apollo Server leaves an
 * ambiguous or unknown operation, and a subscription (the gateway has no subscription root), to
 * the executor, which fails with an uncoded error: HTTP 500 for the caller's mistake. Checked
 * before every other step. The operation name is not echoed back (GraphQL-over-HTTP: request
 * errors are 400).
 */
export function operationRefusal(
  document: DocumentNode,
  operation: OperationDefinitionNode | undefined,
  operationName: string | undefined,
  schema: GraphQLSchema,
): GraphQLError | null {
  if (!operation) {
    const count = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION).length;
    if (operationName !== undefined && operationName !== null) return requestError('BAD_REQUEST', 'The document holds no operation of the given operationName.');
    return requestError('BAD_REQUEST', count > 1 ? `The document holds ${count} operations; say which one to run with operationName.` : 'The document holds no operation to run.');
  }
  if (!schema.getRootType(operation.operation)) {
    return requestError('BAD_REQUEST', `This gateway does not run ${operation.operation} operations; it serves queries and mutations over HTTP.`);
  }
  return null;
}
