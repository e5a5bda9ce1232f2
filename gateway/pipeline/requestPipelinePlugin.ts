import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import type { Logger } from '../../core/logging/logger';
import type { AuditLog } from '../audit/AuditLog';
import { admitToSafelist, type SafelistMode } from '../limits/admitToSafelist';
import type { OperationLimits } from '../limits/OperationLimits';
import type { OperationSafelist } from '../limits/OperationSafelist';
import { isRejectedBeforeParsing, rejectBeforeParsing } from '../limits/rejectBeforeParsing';
import { addLocatorExtension } from './addLocatorExtension';
import type { GatewayContext } from '../server/GatewayContext';
import { callerFaultStatus } from './callerFaultStatus';
import { checkPersistedQuery } from './checkPersistedQuery';
import { documentTooLarge } from './documentLimitsStep';
import { computeOperationFacts, type OperationFacts, type OperationFactsOptions } from './OperationFacts';
import { OperationFactsCache } from './OperationFactsCache';
import { operationRefusal } from './operationRefusal';
import { runPipelineSteps, type PipelineRefusal, type PipelineStep } from './PipelineStep';
import type { RateLimitRefusals } from './RateLimitRefusals';
import { withholdOnAccessStateFailure } from './withholdOnAccessStateFailure';
import { writeAuditRecord } from './writeAuditRecord';

export interface RequestPipelineOptions {
  readonly facts: OperationFactsOptions;
  readonly factsCache?: OperationFactsCache;
  /** Persisted-operation mode: fills in registered operations, refuses others when enforcing. */
  readonly safelist?: { readonly safelist: OperationSafelist; readonly mode: SafelistMode; readonly logger?: Logger };
  /** The text-size limit checked before parsing (the other limits are `steps.documentLimits`). */
  readonly limits?: Partial<OperationLimits>;
  /** The checks after authentication; each optional, their order fixed here. */
  readonly steps: {
    readonly rateLimit?: PipelineStep;
    readonly documentLimits?: PipelineStep;
    /** The variables fit their declarations (graphql-js would check only at execution). */
    readonly variables?: PipelineStep;
    /** No client alias takes the gateway's internal prefix. */
    readonly reservedAliases?: PipelineStep;
    readonly identifiers?: PipelineStep;
    readonly scalars?: PipelineStep;
    /** Argument rules beyond a scalar's own (the break-the-glass reason), with the scalars. */
    readonly arguments?: PipelineStep;
    readonly fieldPolicy?: PipelineStep;
    /** Last before planning: the audit log can write (else AUDIT_UNAVAILABLE, 503, nothing fetched). */
    readonly auditAvailable?: PipelineStep;
  };
  /** Where every operation that resolved is audited; rate-limit refusals are only counted. */
  readonly audit?: { readonly log: AuditLog; readonly logger: Logger; readonly rateLimitRefusals?: RateLimitRefusals };
}

/**
 * The gateway's one ordered request pipeline (docs/architecture.md §9). Apollo Server runs each
 * plugin's hooks concurrently, so the order of the security checks cannot come from a list of
 * plugins; it is written here, in one plugin:
 *
 * 1. authenticate — at the HTTP edge (`authenticateBearer`), before Apollo Server sees the request;
 * 2. on arrival, before parsing: the safelist, the persisted-query hash, the text size (a refusal
 *    here is kept and only reported at step 4, after the rate limit has counted the request);
 * 3. rate limit; 4. document limits; 5. identifiers; 6. scalars; 7. field policy — each a function
 *    of (principal, facts, variables), over the OperationFacts computed once per document text;
 *    the first refusal ends the request and no later step runs;
 * 8. plan and fetch (Apollo Gateway);
 * 9. before the response leaves: a caller's mistake a source found becomes its 4xx, the
 *    record-locator extension, and last the audit record — which replaces the whole answer with
 *    AUDIT_UNAVAILABLE (503) when it cannot be written.
 */
export function requestPipelinePlugin(options: RequestPipelineOptions): ApolloServerPlugin<GatewayContext> {
  const cache = options.factsCache ?? new OperationFactsCache();
  const { steps } = options;
  return {
    async requestDidStart({ request }) {
      const onArrival = checkOnArrival(request, options);
      let facts: OperationFacts | undefined;
      let refusal: PipelineRefusal | null = null;
      return {
        async didResolveOperation(context) {
          const { operation } = context;
          const unresolved = operationRefusal(context.document, operation, context.request.operationName, context.schema);
          if (unresolved) throw unresolved;
          if (!operation) throw new Error('operationRefusal accepted a request without an operation');
          facts = cache.get(context.schema, context.queryHash, operation.name?.value ?? null, () =>
            computeOperationFacts(context.document, context.schema, operation, context.source, options.facts),
          );
          const onArrivalStep: PipelineStep | undefined = onArrival ? { name: 'document-limits', run: () => onArrival } : undefined;
          const ordered = [steps.rateLimit, onArrivalStep, steps.documentLimits, steps.reservedAliases, steps.variables, steps.identifiers, steps.scalars, steps.arguments, steps.fieldPolicy, steps.auditAvailable];
          refusal = await runPipelineSteps(
            ordered.filter((step): step is PipelineStep => step !== undefined),
            { principal: context.contextValue.principal, facts, variables: context.request.variables ?? {}, apollo: context },
          );
          if (refusal) throw refusal.error;
        },
        async willSendResponse(context) {
          if (!facts) return; // Never resolved to an operation (parse, validation): no data, nothing to audit.
          if (!refusal) respondAsExecuted(context);
          if (!options.audit) return;
          if (refusal?.step === 'rate-limit' && options.audit.rateLimitRefusals) {
            options.audit.rateLimitRefusals.record(context.contextValue.principal);
            return;
          }
          await writeAuditRecord({ audit: options.audit.log, logger: options.audit.logger }, context, facts);
        },
      };
    },
  };
}

/** Step 2: the checks of a text as it arrives; a refusal sets the request aside unparsed. */
function checkOnArrival(request: Parameters<typeof checkPersistedQuery>[0], options: RequestPipelineOptions): GraphQLError | null {
  if (isRejectedBeforeParsing(request)) return null; // Another plugin set it aside and reports it.
  const refusal =
    (options.safelist ? admitToSafelist(request, options.safelist.safelist, options.safelist.mode, options.safelist.logger) : null) ??
    checkPersistedQuery(request) ??
    (options.limits ? documentTooLarge(request.query, options.limits) : null);
  if (refusal && !isRejectedBeforeParsing(request)) rejectBeforeParsing(request);
  return refusal;
}

/** Step 9 for an operation that ran: the status of a caller's mistake and the extensions. */
function respondAsExecuted(context: GraphQLRequestContextWillSendResponse<GatewayContext>): void {
  const { response } = context;
  if (response.body.kind !== 'single') return;
  const withheld = withholdOnAccessStateFailure(response.body.singleResult);
  if (withheld) {
    response.body.singleResult = withheld.result;
    response.http.status = withheld.status;
    return;
  }
  const status = callerFaultStatus(response.body.singleResult, response.http.status);
  if (status !== undefined) response.http.status = status;
  addLocatorExtension(context.contextValue, response);
}
