import { describeCallFailure } from '../../core/http/describeCallFailure';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { LRUCache } from 'lru-cache';
import { isErrorCode } from '../../core/errors/errorCodes';
import type { PatientGraphError } from '../../core/errors/PatientGraphError';
import type { Logger } from '../../core/logging/logger';
import type { Principal } from '../../core/security/Principal';
import { auditedArguments } from '../analytics/auditedArguments';
import type { GatewayContext } from '../server/GatewayContext';
import type { ConsentStore } from '../state/ConsentStore';
import type { GrantStore } from '../state/GrantStore';
import { AccessRules } from './AccessRules';
import { demographicAnswers } from './demographicAnswers';
import { accessStateRefusal } from '../state/accessStateUnavailable';
import { outsideCareErrors, withheldFacilityErrors } from './accessErrors';
import type { RegisteredSource, SourceRegistry } from '../sources/RegisteredSource';
import { fetchFromSource, type AnswerCheck, type SourceAnswer, type SourceError } from './fetchFromSource';
import { SourceClients } from './SourceClients';
import { markItemError, mergedItemPath, type PendingItemError } from './listItemErrors';
import { mergeEntityResults, type EntityContribution } from './mergeEntityResults';
import { argumentValue, mergeRootResults } from './mergeRootResults';
import { prepareSourceOperation, type ContractForMerging } from './prepareSourceOperation';
import { routeRepresentations, type FacilityBatch, type PatientRepresentation } from './routeRepresentations';
import type { RootFieldPlan, SourceOperation } from './SourceOperation';
import { DEFAULT_DISCLOSURE_POLICY, type DisclosurePolicy } from '../analytics/DisclosurePolicy';
import { MAX_FIRST } from '../../adapters/sdk/parseAnalyticsArguments';
import { verifyEntitiesAnswer, verifyRootAnswer, type EntityObject } from './verifySourceAnswer';

export interface ClinicalNetworkDataSourceOptions {
  readonly registry: SourceRegistry;
  readonly contract: ContractForMerging;
  readonly logger: Logger;
  readonly circuitBreaker?: { readonly failureThreshold: number; readonly openMs: number };
  /** The gateway's source clients (shared with identity and insurance); default: its own. */
  readonly clients?: SourceClients;
  /** Distinct planner operations kept prepared (they repeat: the planner caches plans too). */
  readonly maxPreparedOperations?: number;
  /** Consent directives and break-the-glass grants, read before routing (docs/architecture.md §6). */
  readonly consent: ConsentStore;
  readonly grants: GrantStore;
  /** Sources asked for a patient whose record locator knows nothing (default 0: none). */
  readonly locatorFallbackSources?: number;
  /** Small-cell suppression and rounding of `@disclose` aggregates (docs/analytics.md). */
  readonly disclosure?: DisclosurePolicy;
  /** Told of every fetch to a source (its health in the admin API, docs/registry.md). */
  readonly onSourceCall?: (code: string, call: { readonly ok: boolean; readonly durationMs: number; readonly errorCode?: string }) => void;
  /**
   * Told which people a source answered for through demographics (docs/identity.md §2: the index
   * learns from answers). Called after the answer is verified; must not block or throw.
   */
  readonly onDemographicAnswers?: (facilityCode: string, nationalIds: readonly string[]) => void;
}

type Variables = Readonly<Record<string, unknown>>;

/**
 * The network data source (docs/architecture.md §3): serves the one `clinical` subgraph of the supergraph by
 * fanning each fetch out to the hospitals that hold the patients (route → fetch in parallel →
 * verify → merge), failing soft per hospital.
 */
export class ClinicalNetworkDataSource implements GraphQLDataSource {
  private readonly prepared: LRUCache<string, SourceOperation>;
  private readonly clients: SourceClients;
  private readonly logger: Logger;
  private readonly access: AccessRules;

  constructor(private readonly options: ClinicalNetworkDataSourceOptions) {
    this.logger = options.logger.child({ component: 'network-data-source' });
    this.access = new AccessRules(options.consent, options.grants);
    this.prepared = new LRUCache({ max: options.maxPreparedOperations ?? 500 });
    this.clients = options.clients ?? new SourceClients(options.circuitBreaker ? { circuitBreaker: options.circuitBreaker } : {});
  }

  async process(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    const query = options.request.query;
    if (!query) return { errors: [internalError('the query planner sent no operation')] };
    const variables: Variables = options.request.variables ?? {};
    // Health checks and schema loads carry no client context, hence no principal.
    const context: Partial<GatewayContext> = options.context;
    const operation = this.prepare(query);
    return operation.kind === 'entities'
      ? this.fetchEntities(operation, variables, options.request.operationName, context)
      : this.fetchRoot(operation, variables, options.request.operationName, context);
  }

  private prepare(query: string): SourceOperation {
    const cached = this.prepared.get(query);
    if (cached) return cached;
    const operation = prepareSourceOperation(query, this.options.contract);
    this.prepared.set(query, operation);
    return operation;
  }

  private async fetchEntities(
    operation: Extract<SourceOperation, { kind: 'entities' }>,
    variables: Variables,
    operationName: string | undefined,
    context: Partial<GatewayContext>,
  ): Promise<GatewayGraphQLResponse> {
    const representations = readRepresentations(variables.representations);
    if (!representations) return { errors: [internalError('the query planner sent malformed representations')] };
    for (const representation of representations) context.events?.emit({ kind: 'patient-touched', nationalId: representation.nationalId });
    const includePossibleMatches = operation.possibleMatches.some((source) => argumentValue(source, variables) === true);
    let ruling: Awaited<ReturnType<AccessRules['rule']>>;
    try {
      ruling = await this.access.rule(representations, context.principal ?? null, includePossibleMatches);
    } catch (error) {
      // Consent or grants unreadable: nothing is fetched (the pipeline answers 503 for the whole request).
      const refusal = accessStateRefusal(error);
      if (refusal) return { errors: [refusal] };
      throw error;
    }
    if (ruling.usedBreakTheGlass) context.events?.emit({ kind: 'grant-used' });
    if (includePossibleMatches) context.events?.emit({ kind: 'possible-matches-included' });
    const route = routeRepresentations(ruling.representations, this.options.registry, { fallbackSources: this.options.locatorFallbackSources ?? 0 });
    if (route.fallback.length > 0) {
      context.events?.emit({ kind: 'locator-fallback', patients: route.fallback.length, sourcesAsked: Math.min(this.options.locatorFallbackSources ?? 0, this.options.registry.list().length) });
    }
    const errors: GraphQLFormattedError[] = [...outsideCareErrors(ruling), ...withheldFacilityErrors(ruling), ...[...route.unregistered.keys()].map(notRegisteredError)];
    const itemErrors: { pending: PendingItemError; source: RegisteredSource }[] = [];
    const principal = context.principal ?? null;

    const contributions = await Promise.all(
      route.batches.map(async (batch): Promise<EntityContribution | undefined> => {
        const source = this.options.registry.get(batch.facilityCode);
        if (!source) return undefined;
        context.events?.emit({ kind: 'source-asked', source: source.code });
        // Verified inside the call, so an answer that does not fit counts against the source's breaker.
        let verified: readonly (EntityObject | null)[] = [];
        const check: AnswerCheck = (body) => {
          const verdict = verifyEntitiesAnswer(body, batch.representations);
          if (verdict.kind === 'rejected') return verdict.reason;
          verified = verdict.entities;
          return undefined;
        };
        const answer = await this.callSource(source, operation.query, { ...variables, representations: batch.representations }, operationName, principal, check);
        if (answer.kind === 'failed') {
          errors.push(sourceFailure(answer.error));
          return undefined;
        }
        const learned = demographicAnswers(verified, batch.representations);
        if (learned.length > 0) this.options.onDemographicAnswers?.(source.code, learned);
        for (const error of answer.body.errors ?? []) {
          const pending = itemErrorOf(error, batch, verified);
          if (pending) itemErrors.push({ pending, source });
          else errors.push(entityPathError(error, source, batch));
        }
        return { order: this.options.registry.orderOf(source.code), entities: placeEntities(batch, verified) };
      }),
    );

    const entities = mergeEntityResults(
      representations,
      operation.fields,
      contributions.filter((c): c is EntityContribution => c !== undefined),
    );
    // Item errors follow their item to its place in the merged list (listItemErrors.ts).
    for (const { pending, source } of itemErrors) {
      const path = mergedItemPath(pending, entities);
      if (path) errors.push(taggedError(pending.error, source, path));
    }
    return { data: { _entities: entities }, ...(errors.length > 0 ? { errors } : {}) };
  }

  private async fetchRoot(
    operation: Extract<SourceOperation, { kind: 'root' }>,
    variables: Variables,
    operationName: string | undefined,
    context: Partial<GatewayContext>,
  ): Promise<GatewayGraphQLResponse> {
    const principal = context.principal ?? null;
    const badLimit = findBadLimit(operation.fields, variables);
    if (badLimit) return { errors: [badLimit] };
    const { sources, unregistered } = this.rootTargets(operation, variables);
    for (const source of sources) context.events?.emit({ kind: 'source-asked', source: source.code });
    const errors: GraphQLFormattedError[] = unregistered.map(notRegisteredError);
    const responseKeys = operation.fields.map((f) => f.merge.responseKey);
    const answers = await Promise.all(
      sources.map(async (source): Promise<EntityObject | null> => {
        let verified: EntityObject | null = null;
        const check: AnswerCheck = (body) => {
          const verdict = verifyRootAnswer(body, responseKeys);
          if (verdict.kind === 'rejected') return verdict.reason;
          verified = verdict.data;
          return undefined;
        };
        const answer = await this.callSource(source, operation.query, variables, operationName, principal, check);
        if (answer.kind === 'failed') {
          errors.push(sourceFailure(answer.error));
          return null;
        }
        errors.push(...(answer.body.errors ?? []).map((e) => taggedError(e, source, e.path)));
        return verified;
      }),
    );
    const merged = mergeRootResults(operation.fields, answers, variables, this.options.disclosure ?? DEFAULT_DISCLOSURE_POLICY, (field, cells) => {
      // Every aggregate is audited with its filters and what disclosure control released (docs/analytics.md).
      context.events?.emit({
        kind: 'aggregate-released',
        aggregate: {
          field: field.coordinate,
          arguments: auditedArguments(field.arguments.map(([name, source]) => [name, argumentValue(source, variables)] as const)),
          cellsReleased: cells.released,
          cellsSuppressed: cells.suppressed,
        },
      });
    });
    return { data: merged, ...(errors.length > 0 ? { errors } : {}) };
  }

  /** Facilities a root operation goes to: those its fields name, or every registered one. */
  private rootTargets(operation: Extract<SourceOperation, { kind: 'root' }>, variables: Variables): { sources: RegisteredSource[]; unregistered: string[] } {
    const named = new Set<string>();
    for (const field of operation.fields) {
      const codes = argumentValue(field.facilityCodes, variables);
      if (!Array.isArray(codes)) return { sources: [...this.options.registry.list()], unregistered: [] };
      for (const code of codes) if (typeof code === 'string') named.add(code);
    }
    const sources = this.options.registry.list().filter((s) => named.has(s.code));
    const unregistered = [...named].filter((code) => !this.options.registry.get(code));
    return { sources, unregistered };
  }

  /** One fetch to one source, through its client (deadline, circuit breaker, bulkhead). */
  private async callSource(
    source: RegisteredSource,
    query: string,
    variables: Variables,
    operationName: string | undefined,
    principal: Principal | null,
    check: AnswerCheck,
  ): Promise<SourceAnswer> {
    const answer = await fetchFromSource(source, { query, variables, operationName, principal }, this.clients, check);
    this.options.onSourceCall?.(source.code, answer.kind === 'failed' ? { ok: false, durationMs: answer.durationMs, errorCode: answer.error.code } : { ok: true, durationMs: answer.durationMs });
    if (answer.kind === 'failed') {
      this.logger.warn('source.failed', {
        facilityCode: source.code,
        code: answer.error.code,
        durationMs: answer.durationMs,
        cause: describeCallFailure(answer.error.cause, source.url.startsWith('https:')),
      });
    } else {
      this.logger.debug('source.answered', { facilityCode: source.code, durationMs: answer.durationMs });
    }
    return answer;
  }
}

/**
 * A `limitArg` (`first`) out of 1..{@link MAX_FIRST} is the caller's mistake; without this check a
 * negative value would silently return every row. Refused before any source is asked.
 */
function findBadLimit(fields: readonly RootFieldPlan[], variables: Variables): GraphQLFormattedError | undefined {
  for (const field of fields) {
    const value = argumentValue(field.limit, variables);
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_FIRST) {
      const name = field.merge.kind === 'merge' ? field.merge.rule.limitArg : null;
      return new GraphQLError(`\`${name ?? 'first'}\` must be between 1 and ${MAX_FIRST}`, { extensions: { code: 'BAD_USER_INPUT' } }).toJSON();
    }
  }
  return undefined;
}

function readRepresentations(value: unknown): PatientRepresentation[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const valid = value.every(
    (r) => r !== null && typeof r === 'object' && typeof (r as { nationalId?: unknown }).nationalId === 'string',
  );
  return valid ? (value as PatientRepresentation[]) : undefined;
}

/** Spreads a facility's answers back onto the gateway's representation indices. */
function placeEntities(batch: FacilityBatch, entities: readonly (EntityObject | null)[]): Map<number, EntityObject> {
  const placed = new Map<number, EntityObject>();
  entities.forEach((entity, sentIndex) => {
    if (!entity) return;
    for (const target of batch.targets[sentIndex] ?? []) placed.set(target, entity);
  });
  return placed;
}

/** A source's error on `_entities[j]` re-pathed to the gateway's index (docs/architecture.md §3 traps). */
function entityPathError(error: SourceError, source: RegisteredSource, batch: FacilityBatch): GraphQLFormattedError {
  const path = error.path;
  if (path && path[0] === '_entities' && typeof path[1] === 'number') {
    const target = batch.targets[path[1]]?.[0];
    if (target !== undefined) return taggedError(error, source, ['_entities', target, ...path.slice(2)]);
  }
  return taggedError(error, source, undefined);
}

/** A source's error inside a list item of `_entities[j]`, with the item marked for re-pathing after the merge. */
function itemErrorOf(error: SourceError, batch: FacilityBatch, verified: readonly (EntityObject | null)[]): PendingItemError | undefined {
  const sent = error.path?.[1];
  if (typeof sent !== 'number') return undefined;
  const target = batch.targets[sent]?.[0];
  return target === undefined ? undefined : markItemError(error, verified[sent], target);
}

/**
 * Extensions of a source's error passed on to the client besides its code: what a value problem
 * (SOURCE_VALUE_INVALID, adapters/sdk/valueProblems.ts) says to fix — the contract field, the
 * mapping key and the expected format, never the value. Short plain strings only: anything else a
 * source puts in its extensions stays behind (it could carry patient data).
 */
const PASSED_EXTENSIONS = ['field', 'mappingKey', 'expected'] as const;
const SAFE_EXTENSION = /^[\w.:/\[\]() -]{1,100}$/;

/** A source's own error, kept with a registered code and the facility that raised it. */
function taggedError(error: SourceError, source: RegisteredSource, path: readonly (string | number)[] | undefined): GraphQLFormattedError {
  const code = error.extensions?.code;
  const passed = PASSED_EXTENSIONS.flatMap((name) => {
    const value = error.extensions?.[name];
    return typeof value === 'string' && SAFE_EXTENSION.test(value) ? [[name, value] as const] : [];
  });
  return {
    message: error.message.slice(0, 500),
    ...(path ? { path } : {}),
    extensions: { code: isErrorCode(code) ? code : 'SOURCE_ERROR', facilityCode: source.code, ...Object.fromEntries(passed) },
  };
}

function sourceFailure(error: PatientGraphError): GraphQLFormattedError {
  return { message: error.message, extensions: { ...error.details, code: error.code } };
}

function notRegisteredError(facilityCode: string): GraphQLFormattedError {
  return {
    message: `facility ${facilityCode} holds records for this request but is not registered with this gateway; they are not included`,
    extensions: { code: 'SOURCE_NOT_REGISTERED', facilityCode },
  };
}

function internalError(message: string): GraphQLFormattedError {
  return new GraphQLError(message, { extensions: { code: 'INTERNAL_SERVER_ERROR' } }).toJSON();
}
