import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { graphql, type GraphQLSchema } from 'graphql';
import type { Logger } from '../../core/logging/logger';
import { formatSubgraphError } from '../../subgraphs/formatSubgraphError';

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

  async process({ request, context }: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    const result = await graphql({
      schema: this.schema,
      source: request.query ?? '',
      variableValues: request.variables ?? {},
      operationName: request.operationName ?? null,
      contextValue: context,
    });
    if (!result.errors) return { data: result.data ?? null };
    return {
      data: result.data ?? null,
      errors: result.errors.map((error) => formatSubgraphError(error.toJSON(), error, this.logger)),
    };
  }
}
