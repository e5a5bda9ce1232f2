import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Logger } from '../../core/logging/logger';
import type { GatewayContext } from '../server/GatewayContext';
import type { RegisteredSource } from '../sources/RegisteredSource';
import { fetchFromSource } from './fetchFromSource';

/**
 * Data source of a contract served by one subgraph (identity, insurance): a plain fetch through
 * the same HTTP path as the hospitals, so failures get the same coded, URL-free errors
 * (Apollo's RemoteGraphQLDataSource puts the subgraph URL in connection errors).
 */
export class SingleSourceDataSource implements GraphQLDataSource {
  constructor(
    private readonly source: RegisteredSource,
    private readonly logger: Logger,
  ) {}

  async process({ request, context }: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    // Health checks and schema loads carry no client context, hence no principal.
    const { principal = null }: Partial<GatewayContext> = context;
    const answer = await fetchFromSource(this.source, {
      query: request.query ?? '',
      variables: request.variables ?? {},
      operationName: request.operationName,
      principal,
    });
    if (answer.kind === 'failed') {
      this.logger.warn('source.failed', {
        source: this.source.code,
        code: answer.error.code,
        durationMs: answer.durationMs,
        cause: answer.error.cause instanceof Error ? answer.error.cause.message : undefined,
      });
      return { errors: [{ message: answer.error.message, extensions: { ...answer.error.details, code: answer.error.code } }] };
    }
    return answer.body as GatewayGraphQLResponse;
  }
}
