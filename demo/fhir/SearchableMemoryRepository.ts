import {
  convertToSearchableDates,
  deepClone,
  evalFhirPathTyped,
  globalSchema,
  matchesSearchRequest,
  Operator,
  splitSearchOnComma,
  subsetResource,
  toPeriod,
  toTypedValue,
  type Filter,
  type SearchRequest,
  type WithId,
} from '@medplum/core';
import { MemoryRepository } from '@medplum/fhir-router';
import type { Bundle, Period, Resource } from '@medplum/fhirtypes';

/** Searches whose matches are kept for paging; older ones are dropped first. */
const KEPT_SEARCHES = 16;

/**
 * Medplum's `MemoryRepository` (4.5.2) with the costs of its search that are the stand-in's own,
 * not FHIR's: its `search` scans every resource of the type and deep-copies every match for each
 * page, so paging a search through `_offset` reads and copies everything once per page
 * (quadratic), and an `_id` OR-list is tested against every resource. Here, as real servers do
 * (they index `_id` and keep a search's results for its pages, e.g. HAPI FHIR's `_getpages`):
 * - the matches of a search are found once and kept for its next pages until any write;
 * - an `_id` filter reads those ids, then the other filters are tested on them only;
 * - a `date` filter (eq, ne, lt, gt, le, ge, sa, eb) is tested on the periods of each resource's
 *   dates, extracted once per search parameter until any write (a date index), with the
 *   comparisons of Medplum's `matchesSearchRequest` (@medplum/core src/search/match.ts), so that
 *   counting cell by cell (`_summary=count` per month) does not evaluate FHIRPath per resource;
 * - only the page is copied, cut to `_elements` when asked (search.html#elements, tagged
 *   SUBSETTED as the spec asks).
 * Matching itself is Medplum's (`matchesSearchRequest`), so what a search finds is unchanged;
 * searches with `_sort`, `_include` or several types go to Medplum's own search.
 */
export class SearchableMemoryRepository extends MemoryRepository {
  private version = 0;
  private readonly kept = new Map<string, { readonly version: number; readonly matches: readonly Resource[] }>();
  private readonly dates = new Map<string, { readonly version: number; readonly periods: ReadonlyMap<Resource, readonly Period[]> }>();

  override createResource<T extends Resource>(resource: T): Promise<WithId<T>> {
    this.version += 1;
    return super.createResource(resource);
  }

  override deleteResource(resourceType: string, id: string): Promise<void> {
    this.version += 1;
    return super.deleteResource(resourceType, id);
  }

  override clear(): void {
    this.version += 1;
    super.clear();
  }

  override async search<T extends Resource>(searchRequest: SearchRequest<T>): Promise<Bundle<WithId<T>>> {
    const stored = this.stored(searchRequest.resourceType);
    if (stored === undefined || (searchRequest.sortRules?.length ?? 0) > 0 || searchRequest.include || searchRequest.revInclude || searchRequest.types) {
      return super.search(searchRequest);
    }
    const matches = this.matches(searchRequest, stored);
    const offset = searchRequest.offset ?? 0;
    const page = matches.slice(offset, searchRequest.count === undefined ? undefined : offset + searchRequest.count);
    const fields = searchRequest.fields;
    const entry = page.map((resource) => ({ resource: (fields ? deepClone(subsetResource({ ...resource }, fields)) : deepClone(resource)) as WithId<T> }));
    return { resourceType: 'Bundle', type: 'searchset', ...(entry.length > 0 ? { entry } : {}), total: matches.length };
  }

  /** The resources of a type as Medplum stores them (its private map; undefined if its shape changed). */
  private stored(resourceType: string): ReadonlyMap<string, Resource> | undefined {
    const all = (this as unknown as { readonly resources?: unknown }).resources;
    if (!(all instanceof Map)) return undefined;
    const ofType: unknown = all.get(resourceType);
    return ofType instanceof Map ? (ofType as ReadonlyMap<string, Resource>) : new Map();
  }

  private matches(searchRequest: SearchRequest, stored: ReadonlyMap<string, Resource>): readonly Resource[] {
    const key = JSON.stringify([searchRequest.resourceType, searchRequest.filters ?? []]);
    const kept = this.kept.get(key);
    if (kept !== undefined && kept.version === this.version) return kept.matches;
    const filters = searchRequest.filters ?? [];
    const byId = filters.find(isIdFilter);
    const byDate = filters.filter((f) => f !== byId && isIndexedDateFilter(searchRequest.resourceType, f));
    const rest = { ...searchRequest, filters: filters.filter((f) => f !== byId && !byDate.includes(f)) };
    const candidates = byId === undefined ? stored.values() : [...new Set(splitSearchOnComma(byId.value))].flatMap((id) => stored.get(id) ?? []);
    const dateTests = byDate.map((filter) => ({ periods: this.periodsOf(searchRequest.resourceType, filter.code, stored), test: dateFilterTest(filter) }));
    const matches: Resource[] = [];
    for (const resource of candidates) {
      if (dateTests.every(({ periods, test }) => test(periods.get(resource) ?? [])) && matchesSearchRequest(resource, rest)) matches.push(resource);
    }
    this.kept.delete(key);
    this.kept.set(key, { version: this.version, matches });
    if (this.kept.size > KEPT_SEARCHES) this.kept.delete(this.kept.keys().next().value as string);
    return matches;
  }

  /** Each resource's values of a date search parameter as Medplum's matching reads them, kept until any write. */
  private periodsOf(resourceType: string, code: string, stored: ReadonlyMap<string, Resource>): ReadonlyMap<Resource, readonly Period[]> {
    const key = `${resourceType}?${code}`;
    const kept = this.dates.get(key);
    if (kept !== undefined && kept.version === this.version) return kept.periods;
    const expression = globalSchema.types[resourceType]?.searchParams?.[code]?.expression ?? '';
    const periods = new Map<Resource, readonly Period[]>();
    for (const resource of stored.values()) periods.set(resource, convertToSearchableDates(evalFhirPathTyped(expression, [toTypedValue(resource)])));
    this.dates.set(key, { version: this.version, periods });
    return periods;
  }
}

const DATE_OPERATORS: ReadonlySet<Operator> = new Set([
  Operator.EQUALS, Operator.NOT_EQUALS, Operator.LESS_THAN, Operator.GREATER_THAN, Operator.LESS_THAN_OR_EQUALS,
  Operator.GREATER_THAN_OR_EQUALS, Operator.STARTS_AFTER, Operator.ENDS_BEFORE, Operator.APPROXIMATELY,
]);

function isIndexedDateFilter(resourceType: string, filter: Filter): boolean {
  return globalSchema.types[resourceType]?.searchParams?.[filter.code]?.type === 'date' && DATE_OPERATORS.has(filter.operator);
}

/**
 * Medplum's `matchesDateFilter` (@medplum/core src/search/match.ts, 4.5.2) with the filter's own
 * periods computed once instead of for every resource: any value of the resource matching any
 * value of the filter; `ne` negates.
 */
function dateFilterTest(filter: Filter): (periods: readonly Period[]) => boolean {
  const negated = filter.operator === Operator.NOT_EQUALS;
  const wanted = splitSearchOnComma(filter.value).flatMap((value) => toPeriod(value) ?? []);
  return (periods) => {
    for (const period of periods) {
      for (const value of wanted) if (matchesDate(period, filter.operator, value)) return !negated;
    }
    return negated;
  };
}

function matchesDate(resource: Period, operator: Operator, filter: Period): boolean {
  const resourceStart = resource.start ?? '0000';
  const resourceEnd = resource.end ?? '9999';
  const filterStart = filter.start ?? '';
  const filterEnd = filter.end ?? '';
  switch (operator) {
    case Operator.APPROXIMATELY:
    case Operator.EQUALS:
    case Operator.NOT_EQUALS:
      return resourceStart < filterEnd && resourceEnd > filterStart;
    case Operator.LESS_THAN:
      return resourceStart < filterStart;
    case Operator.GREATER_THAN:
      return resourceEnd > filterEnd;
    case Operator.LESS_THAN_OR_EQUALS:
      return resourceStart <= filterEnd;
    case Operator.GREATER_THAN_OR_EQUALS:
      return resourceEnd >= filterStart;
    case Operator.STARTS_AFTER:
      return resourceStart > filterEnd;
    case Operator.ENDS_BEFORE:
      return resourceEnd < filterStart;
    default:
      return false;
  }
}

/** `_id=a,b,…` without modifier: exactly the resources with these ids. */
function isIdFilter(filter: Filter): boolean {
  return filter.code === '_id' && filter.operator === Operator.EQUALS;
}
