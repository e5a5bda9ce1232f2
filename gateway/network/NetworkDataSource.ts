import { describeCallFailure } from '../../core/http/describeCallFailure';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { LRUCache } from 'lru-cache';
import { isErrorCode } from '../../core/errors/errorCodes';
import { PatientGraphError } from '../../core/errors/PatientGraphError';
import { WITHHELD_CATEGORIES_KEY } from '../../core/consent/consentRepresentationKeys';
import type { FieldGroup } from '../access-model/accessModel';
import type { RecordLocatorLookup } from '../policy/RecordLocatorLookup';
import { refuseWithheldFields } from './refuseWithheldFields';
import { withheldCategoriesOf, withholdSensitiveItems } from './withholdSensitiveItems';
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
import { CohortCursorCodec, type CohortCursor } from '../analytics/CohortCursorCodec';
import type { CohortProject } from '../analytics/CohortProject';
import type { SourceCohortPage } from '../analytics/CohortRow';
import { cohortPseudonym, newQuestionPseudonymKey, projectPseudonymKey } from '../analytics/cohortPseudonym';
import { cohortQuestionHash, type CohortFilters } from '../analytics/cohortQuestionHash';
import { mergeCohortPages, type CohortSourceAnswer } from '../analytics/mergeCohortPages';
import { withholdSmallGroups } from '../analytics/withholdSmallGroups';
import { parseCohortDetail } from '../analytics/CohortDetail';
import { generalizeCohortRow } from '../analytics/generalizeCohortRow';
import { parseAnalyticsArguments } from '../../adapters/sdk/parseAnalyticsArguments';
import { parsePopulationArguments } from '../../adapters/sdk/population/parsePopulationArguments';
import { projectSelection } from './selectionPlanOf';
import { readSourceCohortPage } from './readSourceCohortPage';

/** Rows of a cohort page when `first` is not given (the contract's default). */
const DEFAULT_COHORT_PAGE = 100;

export interface NetworkDataSourceOptions {
  /** The contract's sources, in merge order. */
  readonly registry: SourceRegistry;
  readonly contract: ContractForMerging;
  /**
   * How patients reach sources and how refusals are reported. `locator` (the clinical contract,
   * default): to the facilities of the record locator each representation carries; a refused
   * patient's lists are empty with the error on the entity; the hospitals filter sensitive
   * categories themselves. `every-source` (a contract a source brought, docs/registry.md §7): to
   * every source of the contract (the locator, looked up for clinicians, decides only the care
   * relationship); refusals are per field (refuseWithheldFields.ts) and the gateway filters
   * sensitive items itself (withholdSensitiveItems.ts).
   */
  readonly routing?: { readonly kind: 'locator' } | { readonly kind: 'every-source'; readonly locator: RecordLocatorLookup };
  /** The access model's field groups the contract's fields belong to (row rules); default `clinical`. */
  readonly groups?: readonly FieldGroup[];
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
  /**
   * Cohort questions (docs/analytics.md, "De-identified cohort rows"): the codec of their sealed
   * cursors (default: a random key per process) and the analytics projects whose pseudonym keys
   * the gateway derives (default: none).
   */
  readonly cohort?: { readonly cursors?: CohortCursorCodec; readonly projects?: readonly CohortProject[] };
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
 * The network data source (docs/architecture.md §3): serves a contract of many sources — the
 * `clinical` subgraph, or a contract sources brought (docs/registry.md §7) — by fanning each fetch
 * out to the sources that hold the patients (route → fetch in parallel → verify → merge by the
 * contract's `@merge` rules), failing soft per source.
 */
export class NetworkDataSource implements GraphQLDataSource {
  private readonly prepared: LRUCache<string, SourceOperation>;
  private readonly clients: SourceClients;
  private readonly logger: Logger;
  private readonly access: AccessRules;
  private readonly cohortCursors: CohortCursorCodec;

  constructor(private readonly options: NetworkDataSourceOptions) {
    this.logger = options.logger.child({ component: 'network-data-source' });
    this.access = new AccessRules(options.consent, options.grants, options.groups ?? ['clinical']);
    this.prepared = new LRUCache({ max: options.maxPreparedOperations ?? 500 });
    this.cohortCursors = options.cohort?.cursors ?? new CohortCursorCodec();
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
    const everySource = this.options.routing?.kind === 'every-source' ? this.options.routing : null;
    let ruling: Awaited<ReturnType<AccessRules['rule']>>;
    try {
      const located = everySource ? await withCareLocator(representations, context.principal ?? null, everySource.locator) : representations;
      const routeTo = everySource ? this.options.registry.list().map((s) => s.code) : undefined;
      ruling = await this.access.rule(located, context.principal ?? null, includePossibleMatches, routeTo);
    } catch (error) {
      // Consent or grants unreadable: nothing is fetched (the pipeline answers 503 for the whole request).
      const refusal = accessStateRefusal(error);
      if (refusal) return { errors: [refusal] };
      // The record locator could not be read: the care relationship is unknown, so nothing is fetched.
      if (error instanceof PatientGraphError) return { errors: [sourceFailure(error)] };
      throw error;
    }
    if (ruling.usedBreakTheGlass) context.events?.emit({ kind: 'grant-used' });
    if (includePossibleMatches) context.events?.emit({ kind: 'possible-matches-included' });
    const route = routeRepresentations(ruling.representations, this.options.registry, { fallbackSources: everySource ? 0 : (this.options.locatorFallbackSources ?? 0) });
    if (route.fallback.length > 0) {
      context.events?.emit({ kind: 'locator-fallback', patients: route.fallback.length, sourcesAsked: Math.min(this.options.locatorFallbackSources ?? 0, this.options.registry.list().length) });
    }
    const errors: GraphQLFormattedError[] = [...(everySource ? [] : [...outsideCareErrors(ruling), ...withheldFacilityErrors(ruling)]), ...[...route.unregistered.keys()].map(notRegisteredError)];
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
        const placed = placeEntities(batch, verified);
        for (const [index, entity] of placed) {
          placed.set(index, withholdSensitiveItems(entity, operation.fields, withheldCategoriesOf(ruling.representations[index]?.[WITHHELD_CATEGORIES_KEY])));
        }
        return { order: this.options.registry.orderOf(source.code), entities: placed };
      }),
    );

    const merged = mergeEntityResults(
      representations,
      operation.fields,
      contributions.filter((c): c is EntityContribution => c !== undefined),
    );
    let entities = merged;
    if (everySource) {
      const refused = refuseWithheldFields(merged, operation.fields, ruling);
      entities = refused.entities;
      errors.push(...refused.errors);
    }
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
    const cohortField = operation.fields.find((f) => f.cohort !== undefined);
    if (cohortField) {
      if (operation.fields.length > 1) return { errors: [badInput('ask `cohort` on its own: its page is not merged with other fields')] };
      return this.fetchCohort(operation, cohortField, variables, operationName, context);
    }
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

  /**
   * One page of a cohort question (docs/analytics.md, "De-identified cohort rows"): the sealed
   * cursor opened (or a new question begun), each source not done asked from its own place (the
   * first alone, the rest only when it does not fill the page), the
   * pages merged in source order, rows generalized to the question's `detail`, rows a small group would single out withheld, pseudonyms
   * replaced by the question's (or the project's), the next cursor sealed, the page answered in the
   * shape of the client's selection and audited. A bad argument or cursor asks no source.
   */
  private async fetchCohort(
    operation: Extract<SourceOperation, { kind: 'root' }>,
    field: RootFieldPlan,
    variables: Variables,
    operationName: string | undefined,
    context: Partial<GatewayContext>,
  ): Promise<GatewayGraphQLResponse> {
    const plan = field.cohort;
    if (!plan || field.merge.kind !== 'merge') return { errors: [internalError('not a cohort field')] };
    const principal = context.principal ?? null;
    const value = (name: string): unknown => argumentValue(field.arguments.find(([n]) => n === name)?.[1] ?? null, variables);
    let filters: CohortFilters;
    let first: number;
    try {
      const window = parseAnalyticsArguments({ from: value('from'), to: value('to'), first: value('first') });
      const query = parsePopulationArguments({ measure: 'ENCOUNTERS', icd10Prefixes: value('icd10Prefixes'), encounterClasses: value('encounterClasses') }, window.filter);
      const facilityCodes = value('facilityCodes');
      const project = argumentValue(plan.project, variables);
      if (project !== undefined && project !== null && typeof project !== 'string') throw new PatientGraphError('BAD_USER_INPUT', '`project` is the name of an analytics project');
      filters = {
        facilityCodes: Array.isArray(facilityCodes) ? facilityCodes.filter((c): c is string => typeof c === 'string') : null,
        from: query.from,
        to: query.to,
        icd10Prefixes: query.icd10Prefixes,
        encounterClasses: query.encounterClasses,
        project: typeof project === 'string' ? project : null,
        detail: parseCohortDetail(value('detail')),
      };
      first = window.first ?? DEFAULT_COHORT_PAGE;
    } catch (error) {
      if (error instanceof PatientGraphError) return { errors: [codedError(error)] };
      throw error;
    }
    const question = cohortQuestionHash(filters);
    let projectKey: Buffer | null = null;
    if (filters.project !== null) {
      const project = (this.options.cohort?.projects ?? []).find((p) => p.id === filters.project);
      if (!project) return { errors: [badInput('`project` is not an analytics project of this gateway')] };
      if (principal === null || !project.members.includes(principal.sub)) {
        return { errors: [new GraphQLError('this token is not a member of the analytics project', { extensions: { code: 'FORBIDDEN' } }).toJSON()] };
      }
      projectKey = projectPseudonymKey(project.secret, project.id);
    }
    const after = argumentValue(plan.after, variables);
    let cursor: CohortCursor;
    try {
      cursor = typeof after === 'string'
        ? this.cohortCursors.open(after, question)
        : { question, pseudonymKey: projectKey === null ? newQuestionPseudonymKey() : null, places: {}, done: [] };
    } catch (error) {
      if (error instanceof PatientGraphError) return { errors: [codedError(error)] };
      throw error;
    }
    const pseudonymKey = cursor.pseudonymKey ?? projectKey;
    if (pseudonymKey === null) return { errors: [badInput('"after" is not a cursor of this cohort question')] };

    const { sources, unregistered } = this.rootTargets(operation, variables);
    const asked = sources.filter((source) => !cursor.done.includes(source.code));
    const errors: GraphQLFormattedError[] = unregistered.map(notRegisteredError);
    const responseKey = field.merge.responseKey;
    const ask = async (source: RegisteredSource): Promise<CohortSourceAnswer> => {
      context.events?.emit({ kind: 'source-asked', source: source.code });
      let page: SourceCohortPage | null = null;
      const check: AnswerCheck = (body) => {
        const verdict = verifyRootAnswer(body, [responseKey]);
        if (verdict.kind === 'rejected') return verdict.reason;
        page = readSourceCohortPage(verdict.data?.[responseKey]);
        return page === null && !(body.errors?.length) ? 'a cohort page of another shape' : undefined;
      };
      const answer = await this.callSource(source, operation.query, { ...variables, [plan.afterVariable]: cursor.places[source.code] ?? null }, operationName, principal, check);
      if (answer.kind === 'failed') {
        errors.push(sourceFailure(answer.error));
        return { facilityCode: source.code, page: null };
      }
      const sourceErrors = answer.body.errors ?? [];
      errors.push(...sourceErrors.map((e) => taggedError(e, source, e.path)));
      // A source that refuses (no cohort support, no analytics key) is done: paging on would ask it
      // forever; one unavailable for now keeps its place and is asked again on the next page.
      const refused = page === null && !sourceErrors.some((e) => e.extensions?.code === 'SOURCE_UNAVAILABLE');
      return { facilityCode: source.code, page: refused ? { rows: [], endPlace: null, hasNextPage: false } : page };
    };
    // The page takes rows in source order, so the first source not done is asked alone: when it
    // fills the page, the others would only send rows to be dropped (and sent again next page); they
    // are not asked and keep their places (as a source that failed does). Otherwise the rest are
    // asked together: at most two rounds, and the same rows as asking everyone at once.
    const [head, ...rest] = asked;
    const answers: CohortSourceAnswer[] = [];
    if (head !== undefined) {
      const headAnswer = await ask(head);
      answers.push(headAnswer);
      const filled = (headAnswer.page?.rows.length ?? 0) >= first;
      answers.push(...(filled ? rest.map((source) => ({ facilityCode: source.code, page: null })) : await Promise.all(rest.map(ask))));
    }
    const merged = mergeCohortPages(answers, cursor.places, cursor.done, first);
    const threshold = (this.options.disclosure ?? DEFAULT_DISCLOSURE_POLICY).threshold;
    // Generalized first, so that the check runs on exactly what is released.
    const disclosed = withholdSmallGroups(
      merged.rows.map((row) => ({ ...generalizeCohortRow(row, filters.detail), person: row.networkPseudonym })),
      threshold,
    );
    const page = {
      __typename: 'CohortPage',
      rows: disclosed.released.map((row) => ({
        __typename: 'CohortRow',
        pseudonym: cohortPseudonym(pseudonymKey, row.networkPseudonym),
        ageBand: row.ageBand,
        sex: row.sex,
        province: row.province,
        encounterClass: row.encounterClass,
        icd10Codes: row.icd10Codes,
        month: row.month,
        period: row.period,
      })),
      pageInfo: {
        __typename: 'CohortPageInfo',
        endCursor: merged.hasNextPage ? this.cohortCursors.seal({ question, pseudonymKey: cursor.pseudonymKey, places: merged.places, done: merged.done }) : null,
        hasNextPage: merged.hasNextPage,
      },
      threshold,
      withheldRows: disclosed.withheld,
      withheldReason: disclosed.reason,
      detail: filters.detail,
    };
    // Audited like every aggregate: the filters asked with and how many rows were released and withheld.
    context.events?.emit({
      kind: 'aggregate-released',
      aggregate: {
        field: field.coordinate,
        arguments: auditedArguments(field.arguments.map(([name, source]) => [name, argumentValue(source, variables)] as const)),
        cellsReleased: disclosed.released.length,
        cellsSuppressed: disclosed.withheld,
      },
    });
    return { data: { [responseKey]: projectSelection(plan.selections, page) }, ...(errors.length > 0 ? { errors } : {}) };
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

/**
 * For a clinician, the representations with their record locator looked up (a contract a source
 * brought does not require it): the care relationship is decided on it as for the clinical contract.
 * Other roles' relationship does not depend on the locator.
 */
async function withCareLocator(representations: readonly PatientRepresentation[], principal: Principal | null, lookup: RecordLocatorLookup): Promise<PatientRepresentation[]> {
  if (principal?.role !== 'clinician') return [...representations];
  const located = await lookup.facilityCodesOf([...new Set(representations.map((r) => r.nationalId))], principal);
  return representations.map((r) => ({ ...r, facilityCodes: located.get(r.nationalId) ?? [] }));
}

function badInput(message: string): GraphQLFormattedError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } }).toJSON();
}

/** A coded refusal of the gateway's own checks (argument, cursor) as a GraphQL error. */
function codedError(error: PatientGraphError): GraphQLFormattedError {
  return new GraphQLError(error.message, { extensions: { ...error.details, code: error.code } }).toJSON();
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
