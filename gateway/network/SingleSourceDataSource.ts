import { describeCallFailure } from '../../core/http/describeCallFailure';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Logger } from '../../core/logging/logger';
import type { GatewayContext } from '../server/GatewayContext';
import type { RegisteredSource } from '../sources/RegisteredSource';
import type { GraphQLSchema } from 'graphql';
import { LRUCache } from 'lru-cache';
import { fetchFromSource } from './fetchFromSource';
import { SourceClients } from './SourceClients';
import { collectPatientKeys, withPatientKeys } from './trackPatientKeys';

/** For the identity contract: record every patient an answer holds (audit), by their key. */
export interface PatientTracking {
  readonly schema: GraphQLSchema;
  readonly entityTypeName: string;
  readonly keyField: string;
}

/**
 * Data source of a contract served by one subgraph (identity, insurance): a plain fetch through
 * the same HTTP path as the hospitals, so failures get the same coded, URL-free errors
 * (Apollo's RemoteGraphQLDataSource puts the subgraph URL in connection errors).
 */
export class SingleSourceDataSource implements GraphQLDataSource {
  /** Planner operations repeat (the planner caches plans): each is rewritten once. */
  private readonly rewritten = new LRUCache<string, string>({ max: 500 });

  constructor(
    private readonly source: RegisteredSource,
    private readonly logger: Logger,
    private readonly tracking?: PatientTracking,
    /** The gateway's source clients (shared); default: its own. */
    private readonly clients: SourceClients = new SourceClients(),
  ) {}

  async process({ request, context }: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    // Health checks and schema loads carry no client context, hence no principal.
    const { principal = null, events }: Partial<GatewayContext> = context;
    events?.emit({ kind: 'source-asked', source: this.source.code });
    const query = this.prepare(request.query ?? '');
    const answer = await fetchFromSource(this.source, {
      query,
      variables: request.variables ?? {},
      operationName: request.operationName,
      principal,
    }, this.clients);
    if (answer.kind === 'failed') {
      this.logger.warn('source.failed', {
        source: this.source.code,
        code: answer.error.code,
        durationMs: answer.durationMs,
        cause: describeCallFailure(answer.error.cause, this.source.url.startsWith('https:')),
      });
      return { errors: [{ message: answer.error.message, extensions: { ...answer.error.details, code: answer.error.code } }] };
    }
    if (this.tracking) {
      const patients = new Set<string>();
      collectPatientKeys(answer.body.data, patients);
      for (const nationalId of patients) events?.emit({ kind: 'patient-touched', nationalId });
    }
    return answer.body as GatewayGraphQLResponse;
  }

  private prepare(query: string): string {
    if (!this.tracking || query === '') return query;
    let rewritten = this.rewritten.get(query);
    if (rewritten === undefined) {
      rewritten = withPatientKeys(query, this.tracking.schema, this.tracking.entityTypeName, this.tracking.keyField);
      this.rewritten.set(query, rewritten);
    }
    return rewritten;
  }
}
