import { describeCallFailure } from '../../core/http/describeCallFailure';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Logger } from '../../core/logging/logger';
import type { GatewayContext } from '../server/GatewayContext';
import type { RegisteredSource } from '../sources/RegisteredSource';
import type { GraphQLSchema } from 'graphql';
import { LRUCache } from 'lru-cache';
import { fetchFromSource, type SourceAnswer } from './fetchFromSource';
import { SourceClients } from './SourceClients';
import { collectPatientKeys, withPatientKeys } from './trackPatientKeys';

/** For the identity contract: record every patient an answer holds (audit), by their key. */
export interface PatientTracking {
  readonly schema: GraphQLSchema;
  readonly entityTypeName: string;
  readonly keyField: string;
}

/** One operation as the query planner sends it to this source. */
export interface PlannedRequest {
  readonly query: string;
  readonly variables: Readonly<Record<string, unknown>>;
  readonly operationName: string | undefined;
}

interface Prefetched {
  readonly query: string;
  readonly operationName: string | undefined;
  readonly variables: string;
  readonly answer: Promise<SourceAnswer>;
}

/**
 * Data source of a contract served by one subgraph (identity, insurance): a plain fetch through
 * the same HTTP path as the hospitals, so failures get the same coded, URL-free errors
 * (Apollo's RemoteGraphQLDataSource puts the subgraph URL in connection errors).
 *
 * `prefetch` sends a planned operation ahead of its plan (the care-relationship step reads the
 * record locator from it, RootFetchPlans.ts); the plan's own fetch of the same operation, with the
 * same variables, in the same request, then takes that answer instead of asking again — once.
 */
export class SingleSourceDataSource implements GraphQLDataSource {
  /** Planner operations repeat (the planner caches plans): each is rewritten once. */
  private readonly rewritten = new LRUCache<string, string>({ max: 500 });
  /** Per request (its context object): answers sent ahead and not yet taken by the plan. */
  private readonly prefetched = new WeakMap<object, Prefetched[]>();

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
    const variables = request.variables ?? {};
    const answer = await (this.takePrefetched(context, query, request.operationName, variables) ??
      fetchFromSource(this.source, { query, variables, operationName: request.operationName, principal }, this.clients));
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

  /**
   * Sends `request` now, for the request whose context this is, and keeps the answer for the
   * plan's fetch of the same operation. The caller reads the same answer the plan will.
   */
  prefetch(request: PlannedRequest, context: GatewayContext): Promise<SourceAnswer> {
    const query = this.prepare(request.query);
    const answer = fetchFromSource(this.source, { query, variables: request.variables, operationName: request.operationName, principal: context.principal }, this.clients);
    const pending = this.prefetched.get(context) ?? [];
    pending.push({ query, operationName: request.operationName, variables: JSON.stringify(request.variables), answer });
    this.prefetched.set(context, pending);
    return answer;
  }

  /** The answer sent ahead for exactly this operation and these variables, taken once. */
  private takePrefetched(context: object | undefined, query: string, operationName: string | undefined, variables: Readonly<Record<string, unknown>>): Promise<SourceAnswer> | undefined {
    const pending = context ? this.prefetched.get(context) : undefined;
    if (!pending || pending.length === 0) return undefined;
    const serialized = JSON.stringify(variables);
    const index = pending.findIndex((p) => p.query === query && p.operationName === operationName && p.variables === serialized);
    if (index < 0) return undefined;
    const [taken] = pending.splice(index, 1);
    return taken?.answer;
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
