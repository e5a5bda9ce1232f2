import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { graphql, type GraphQLSchema } from 'graphql';
import type { Logger } from '../../core/logging/logger';
import { sha256Hex } from '../../core/crypto/sha256Hex';
import { formatSubgraphError } from '../../subgraphs/formatSubgraphError';
import type { AuditOperation } from '../audit/AuditEntry';
import type { GatewayContext } from '../server/GatewayContext';

/** What the access resolvers see: the gateway's context and the client's operation, for audit records they write themselves. */
export type AccessContext = GatewayContext & { readonly clientOperation?: AuditOperation };

/**
 * Runs the access subgraph in the gateway's process with the gateway's context (the principal),
 * like Apollo's LocalGraphQLDataSource, but with errors normalized at the same edge as every
 * remote subgraph's: coded, no stack traces, internals logged.
 */
export class AccessDataSource implements GraphQLDataSource {
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly logger: Logger,
  ) {}

  async process(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    const { request, context } = options;
    const result = await graphql({
      schema: this.schema,
      source: request.query ?? '',
      variableValues: request.variables ?? {},
      operationName: request.operationName ?? null,
      contextValue: { ...context, ...clientOperationOf(options) },
    });
    if (!result.errors) return { data: result.data ?? null };
    return {
      data: result.data ?? null,
      errors: result.errors.map((error) => formatSubgraphError(error.toJSON(), error, this.logger)),
    };
  }
}

/**
 * The client's operation as the audit plugin records it (name, type, sha256 of the query text), so
 * a record the access subgraph writes itself (the break-the-glass grant) names the same document.
 */
function clientOperationOf(options: GraphQLDataSourceProcessOptions): { clientOperation?: AuditOperation } {
  // Only incoming operations carry the client's request (health checks and schema loads do not).
  if (!('incomingRequestContext' in options)) return {};
  const { request, operation } = options.incomingRequestContext;
  return {
    clientOperation: {
      name: operation.name?.value ?? null,
      type: operation.operation,
      documentHash: sha256Hex(request.query ?? ''),
    },
  };
}
