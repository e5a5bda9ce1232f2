import type { Resource } from '@medplum/fhirtypes';
import type { Logger } from '../../core/logging/logger';
import { chunkSearchValues } from './chunkSearchValues';
import type { FhirHttpClient } from './FhirHttpClient';
import { mapConcurrently } from './mapConcurrently';
import { fhirSourceError, type FhirFailure } from './fhirSourceError';
import { readBatchResponse } from './readBatchResponse';
import { readSearchBundle, type SearchPage } from './readSearchBundle';

/** A search parameter: name (with modifier, e.g. `status:not`) and its value in FHIR search syntax. */
export type SearchParam = readonly [name: string, value: string];

/** One parameter whose values are OR-ed (`name=v1,v2,…`); values already escaped (escapeSearchValue). */
export interface OrParam {
  readonly name: string;
  readonly values: readonly string[];
}

export interface SearchResult {
  readonly matches: readonly Resource[];
  readonly included: readonly Resource[];
}

/** What the adapter asked of the source since construction or `resetStats()`. */
export interface FhirSearchStats {
  /**
   * Searches started: one per search URL (each chunk of a long OR-list is one), one per batch
   * request, whatever number of pages each then takes.
   */
  readonly searches: number;
  /** HTTP requests: every page of every search, and every batch request. */
  readonly requests: number;
}

export interface FhirSearchClientOptions {
  readonly baseUrl: string;
  readonly pageSize: number;
  readonly maxPages: number;
  readonly maxResources: number;
  readonly maxUrlLength: number;
  readonly facilityCode: string;
  readonly logger: Logger;
}

const EMPTY: SearchResult = { matches: [], included: [] };

/** Chunks of one OR-list searched at once: parallel, but not every chunk at the same moment. */
const PARALLEL_CHUNKS = 4;

/**
 * FHIR search over HTTP (search.html): builds `[base]/[type]?…&_count=N` URLs, splits a long
 * OR-list over several URLs (chunkSearchValues), follows `Bundle.link[relation=next]` to the end
 * within `maxPages`/`maxResources`, and only to the same server (a `next` link elsewhere would
 * carry our credentials off). Every answer is read as untrusted (readSearchBundle).
 */
export class FhirSearchClient {
  private started = 0;
  /** Searches under way, by URL: the same search asked twice at once is sent once. */
  private readonly inFlight = new Map<string, Promise<SearchResult>>();

  constructor(
    private readonly http: FhirHttpClient,
    private readonly options: FhirSearchClientOptions,
  ) {}

  stats(): FhirSearchStats {
    return { searches: this.started, requests: this.http.requests };
  }

  resetStats(): void {
    this.started = 0;
    this.http.resetRequests();
  }

  /** All resources matching `params` and, when given, any value of the OR-list (nothing when it is empty). */
  async search(resourceType: string, params: readonly SearchParam[], or?: OrParam): Promise<SearchResult> {
    const base = this.url(resourceType, [...params, ['_count', String(this.options.pageSize)]]);
    if (or === undefined) return this.allPages(base, resourceType);
    const prefix = `${base}&${encodeURIComponent(or.name)}=`;
    const { chunks, skipped } = chunkSearchValues(or.values, prefix.length, this.options.maxUrlLength);
    if (skipped > 0) this.options.logger.warn('fhir.search_values_skipped', { facilityCode: this.options.facilityCode, resourceType, skipped });
    const results = await mapConcurrently(chunks, PARALLEL_CHUNKS, (chunk) => this.allPages(prefix + chunk.map(encodeURIComponent).join('%2C'), resourceType));
    return concat(results);
  }

  /**
   * Several searches of one type in a single FHIR batch request (http.html#transaction), for an
   * OR the server cannot express in one search; each entry's pages are then followed as usual.
   */
  async batchSearch(resourceType: string, searches: readonly (readonly SearchParam[])[]): Promise<SearchResult> {
    if (searches.length === 0) return EMPTY;
    this.started += 1;
    const bundle = {
      resourceType: 'Bundle',
      type: 'batch',
      entry: searches.map((params) => ({
        request: { method: 'GET', url: `${resourceType}?${query([...params, ['_count', String(this.options.pageSize)]])}` },
      })),
    };
    const answer = readBatchResponse(await this.http.send('POST', this.options.baseUrl, resourceType, bundle), searches.length);
    if (answer.kind === 'invalid') throw this.fail({ kind: 'malformed', reason: answer.reason }, resourceType);
    const results = await Promise.all(answer.entries.map(async (entry) => {
      if (entry.status < 200 || entry.status > 299) throw this.fail({ kind: 'http', status: entry.status, issueCode: entry.issueCode }, resourceType);
      return this.remainingPages(this.page(entry.resource, resourceType), resourceType);
    }));
    return concat(results);
  }

  /** `Bundle.total` of a `_summary=count` search (search.html#summary). */
  async count(resourceType: string, params: readonly SearchParam[]): Promise<number> {
    this.started += 1;
    const url = this.url(resourceType, [...params, ['_summary', 'count']]);
    const page = this.page(await this.http.send('GET', url, resourceType), resourceType);
    if (page.total === undefined) throw this.fail({ kind: 'malformed', reason: 'a count without Bundle.total' }, resourceType);
    return page.total;
  }

  /**
   * One search to the end. An identical search already under way is joined, not repeated: a
   * request for encounters and conditions asks for the same patients' Conditions twice at once
   * (Encounter.diagnosis and the conditions list). Nothing is kept once the search settles.
   */
  private allPages(url: string, resourceType: string): Promise<SearchResult> {
    const running = this.inFlight.get(url);
    if (running) return running;
    this.started += 1;
    const search = (async () => this.remainingPages(this.page(await this.http.send('GET', url, resourceType), resourceType), resourceType))()
      .finally(() => this.inFlight.delete(url));
    this.inFlight.set(url, search);
    return search;
  }

  private async remainingPages(first: Extract<SearchPage, { kind: 'page' }>, resourceType: string): Promise<SearchResult> {
    const matches = [...first.matches];
    const included = [...first.included];
    let page = first;
    for (let pages = 1; ; pages++) {
      if (matches.length > this.options.maxResources) {
        throw this.fail({ kind: 'limit', limit: 'maxResources', value: this.options.maxResources }, resourceType);
      }
      if (page.next === undefined) return { matches, included };
      if (pages >= this.options.maxPages) throw this.fail({ kind: 'limit', limit: 'maxPages', value: this.options.maxPages }, resourceType);
      page = this.page(await this.http.send('GET', this.onSameServer(page.next, resourceType), resourceType), resourceType);
      matches.push(...page.matches);
      included.push(...page.included);
    }
  }

  private page(json: unknown, resourceType: string): Extract<SearchPage, { kind: 'page' }> {
    const page = readSearchBundle(json, resourceType);
    if (page.kind === 'invalid') throw this.fail({ kind: 'malformed', reason: page.reason }, resourceType);
    return page;
  }

  /** A `next` link must stay under the configured base URL (absolute, or relative to it). */
  private onSameServer(next: string, resourceType: string): string {
    const base = this.options.baseUrl;
    let resolved: string | undefined;
    try {
      resolved = new URL(next, `${base}/`).href;
    } catch {
      resolved = undefined;
    }
    if (resolved === undefined || !(resolved.startsWith(`${base}/`) || resolved.startsWith(`${base}?`))) {
      throw this.fail({ kind: 'malformed', reason: 'a next link that leaves the server’s base URL' }, resourceType);
    }
    return resolved;
  }

  private url(resourceType: string, params: readonly SearchParam[]): string {
    return `${this.options.baseUrl}/${resourceType}?${query(params)}`;
  }

  private fail(failure: FhirFailure, resourceType: string): Error {
    const { facilityCode, logger } = this.options;
    logger.warn('fhir.search_failed', { facilityCode, resourceType, failure: failure.kind });
    return fhirSourceError(failure, { facilityCode, resourceType });
  }
}

function query(params: readonly SearchParam[]): string {
  return params.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&');
}

function concat(results: readonly SearchResult[]): SearchResult {
  return { matches: results.flatMap((r) => r.matches), included: results.flatMap((r) => r.included) };
}
