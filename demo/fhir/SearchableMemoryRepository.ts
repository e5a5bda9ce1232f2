import { deepClone, matchesSearchRequest, Operator, splitSearchOnComma, subsetResource, type Filter, type SearchRequest, type WithId } from '@medplum/core';
import { MemoryRepository } from '@medplum/fhir-router';
import type { Bundle, Resource } from '@medplum/fhirtypes';

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
 * - only the page is copied, cut to `_elements` when asked (search.html#elements, tagged
 *   SUBSETTED as the spec asks).
 * Matching itself is Medplum's (`matchesSearchRequest`), so what a search finds is unchanged;
 * searches with `_sort`, `_include` or several types go to Medplum's own search.
 */
export class SearchableMemoryRepository extends MemoryRepository {
  private version = 0;
  private readonly kept = new Map<string, { readonly version: number; readonly matches: readonly Resource[] }>();

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
    const rest = { ...searchRequest, filters: filters.filter((f) => f !== byId) };
    const candidates = byId === undefined ? stored.values() : [...new Set(splitSearchOnComma(byId.value))].flatMap((id) => stored.get(id) ?? []);
    const matches: Resource[] = [];
    for (const resource of candidates) if (matchesSearchRequest(resource, rest)) matches.push(resource);
    this.kept.delete(key);
    this.kept.set(key, { version: this.version, matches });
    if (this.kept.size > KEPT_SEARCHES) this.kept.delete(this.kept.keys().next().value as string);
    return matches;
  }
}

/** `_id=a,b,…` without modifier: exactly the resources with these ids. */
function isIdFilter(filter: Filter): boolean {
  return filter.code === '_id' && filter.operator === Operator.EQUALS;
}
