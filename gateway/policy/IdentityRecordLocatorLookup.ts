import type { SourceClients } from '../network/SourceClients';
import { PatientGraphError } from '../../core/errors/PatientGraphError';
import type { Principal } from '../../core/security/Principal';
import { fetchFromSource } from '../network/fetchFromSource';
import type { RegisteredSource } from '../sources/RegisteredSource';
import type { RootFetchPlans } from '../network/RootFetchPlans';
import type { SingleSourceDataSource } from '../network/SingleSourceDataSource';
import type { LocatedRequest, RecordLocatorLookup } from './RecordLocatorLookup';

/** The patient index's data source and the plans of its first fetch, for a care check sent ahead. */
export interface PlannedIdentityFetch {
  readonly plans: RootFetchPlans;
  readonly dataSource: SingleSourceDataSource;
}

const LOCATOR_QUERY = 'query PatientGraphCareCheck($representations: [_Any!]!) { _entities(representations: $representations) { ... on Patient { nationalId facilityCodes } } }';

/**
 * Asks the identity subgraph (the record locator) over the same signed link as every other fetch.
 * When the gateway has planned the operation before and its plan starts with a query of the index
 * (`patient(nationalId:) { … facilityCodes … }`, which every patient-scoped clinical read has: the
 * hospitals' fields require `facilityCodes`), that fetch is sent now, for this request: the care
 * relationship is decided on its answer and the plan then reads that same answer
 * (SingleSourceDataSource.prefetch), so the decision and the routed data cannot disagree and the
 * index is asked once. Persons that answer does not place (or without such a plan) are asked the
 * old way: one batched `_entities` request (Apollo Federation entity resolution).
 */
export class IdentityRecordLocatorLookup implements RecordLocatorLookup {
  readonly sourceCode: string;

  constructor(
    private readonly identity: RegisteredSource,
    private readonly clients: SourceClients,
    private readonly planned?: PlannedIdentityFetch,
  ) {
    this.sourceCode = identity.code;
  }

  async facilityCodesOf(nationalIds: readonly string[], principal: Principal, request?: LocatedRequest): Promise<ReadonlyMap<string, readonly string[]>> {
    if (nationalIds.length === 0) return new Map();
    const fromPlan = request ? await this.fromPlannedFetch(nationalIds, request) : new Map<string, readonly string[]>();
    const rest = nationalIds.filter((id) => !fromPlan.has(id));
    if (rest.length === 0) return fromPlan;
    const located = await this.askLocator(rest, principal);
    for (const [id, codes] of fromPlan) located.set(id, codes);
    return located;
  }

  /** The locator of the persons the plan's own first fetch of the index places; empty without such a plan. */
  private async fromPlannedFetch(nationalIds: readonly string[], request: LocatedRequest): Promise<Map<string, readonly string[]>> {
    const fetch = this.planned?.plans.get(request.schema, request.queryHash, request.operationName);
    if (!this.planned || !fetch) return new Map();
    // The variables as the gateway's executor copies them for this fetch (same keys, same order).
    const variables: Record<string, unknown> = {};
    for (const name of fetch.variableUsages) {
      if (Object.hasOwn(request.variables, name) && request.variables[name] !== undefined) variables[name] = request.variables[name];
    }
    const answer = await this.planned.dataSource.prefetch({ query: fetch.operation, operationName: fetch.operationName, variables }, request.context);
    if (answer.kind === 'failed') throw answer.error;
    return placedPersons(answer.body.data, new Set(nationalIds), this.identity.code);
  }

  private async askLocator(nationalIds: readonly string[], principal: Principal): Promise<Map<string, readonly string[]>> {
    const located = new Map<string, readonly string[]>();
    const answer = await fetchFromSource(this.identity, {
      query: LOCATOR_QUERY,
      variables: { representations: nationalIds.map((nationalId) => ({ __typename: 'Patient', nationalId })) },
      operationName: 'PatientGraphCareCheck',
      principal,
    }, this.clients);
    if (answer.kind === 'failed') throw answer.error;
    const entities = (answer.body.data as { _entities?: unknown } | null | undefined)?._entities;
    if (!Array.isArray(entities) || entities.length !== nationalIds.length || (answer.body.errors ?? []).length > 0) {
      throw new PatientGraphError('SOURCE_INVALID_RESPONSE', 'The patient index did not say where the patient was treated, so the care relationship could not be checked.', { source: this.identity.code });
    }
    entities.forEach((entity: unknown, index) => {
      if (entity === null || typeof entity !== 'object') return;
      const { nationalId, facilityCodes } = entity as { nationalId?: unknown; facilityCodes?: unknown };
      if (typeof nationalId !== 'string' || nationalId !== nationalIds[index] || !Array.isArray(facilityCodes)) return;
      located.set(nationalId, facilityCodes.filter((code): code is string => typeof code === 'string'));
    });
    return located;
  }
}

/**
 * Every `{ nationalId, facilityCodes }` object of the wanted persons anywhere in an answer. The
 * same person twice with different facilities is an answer that cannot be trusted.
 */
function placedPersons(data: unknown, wanted: ReadonlySet<string>, source: string): Map<string, readonly string[]> {
  const placed = new Map<string, readonly string[]>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const { nationalId, facilityCodes } = value as { nationalId?: unknown; facilityCodes?: unknown };
    if (typeof nationalId === 'string' && wanted.has(nationalId) && Array.isArray(facilityCodes)) {
      const codes = facilityCodes.filter((code): code is string => typeof code === 'string');
      const known = placed.get(nationalId);
      if (known && (known.length !== codes.length || known.some((code, i) => code !== codes[i]))) {
        throw new PatientGraphError('SOURCE_INVALID_RESPONSE', 'The patient index gave two record locators for one person, so the care relationship could not be checked.', { source });
      }
      placed.set(nationalId, codes);
    }
    for (const child of Object.values(value)) visit(child);
  };
  visit(data);
  return placed;
}
