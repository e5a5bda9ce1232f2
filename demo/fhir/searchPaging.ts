import type { Bundle, BundleLink } from '@medplum/fhirtypes';

/** Page size when a search names none, and the largest one served (Medplum's server uses 20 and 1000). */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 1000;

/** A search request with its paging made explicit. */
export interface PagedSearch {
  /** The request URL (relative to the FHIR base) with `_count` and `_offset` set. */
  readonly url: string;
  /** Adds `Bundle.link` self / next / previous to the search's answer. */
  addLinks(bundle: Bundle, baseUrl: string): Bundle;
}

/**
 * Offset paging for searches served from Medplum's MemoryRepository, which honours `_count` and
 * `_offset` but, unlike Medplum's server, writes no `Bundle.link` — so clients could not page.
 * This is the part of a FHIR server's HTTP layer the demo supplies: a default and maximum page
 * size, and `self`/`next`/`previous` links (bundle.html#searchset, search.html#paging) computed
 * from `Bundle.total`. Search semantics stay Medplum's.
 */
export function searchPaging(relativeUrl: string): PagedSearch {
  const [path = '', search = ''] = splitOnce(relativeUrl, '?');
  const params = new URLSearchParams(search);
  if (params.get('_summary') === 'count') return { url: relativeUrl, addLinks: (bundle) => bundle }; // a count has no pages
  const count = clamp(Number.parseInt(params.get('_count') ?? '', 10), DEFAULT_PAGE_SIZE, 0, MAX_PAGE_SIZE);
  const offset = clamp(Number.parseInt(params.get('_offset') ?? '', 10), 0, 0, Number.MAX_SAFE_INTEGER);
  const at = (newOffset: number): string => {
    const copy = new URLSearchParams(params);
    copy.set('_count', String(count));
    copy.set('_offset', String(newOffset));
    return `${path}?${copy.toString()}`;
  };
  return {
    url: at(offset),
    addLinks: (bundle, baseUrl) => {
      const link: BundleLink[] = [{ relation: 'self', url: `${baseUrl}/${at(offset)}` }];
      if (count > 0 && typeof bundle.total === 'number' && offset + count < bundle.total) {
        link.push({ relation: 'next', url: `${baseUrl}/${at(offset + count)}` });
      }
      if (count > 0 && offset > 0) link.push({ relation: 'previous', url: `${baseUrl}/${at(Math.max(0, offset - count))}` });
      return { ...bundle, link };
    },
  };
}

function clamp(value: number, fallback: number, min: number, max: number): number {
  return Number.isInteger(value) ? Math.min(max, Math.max(min, value)) : fallback;
}

function splitOnce(text: string, separator: string): [string, string] {
  const index = text.indexOf(separator);
  return index < 0 ? [text, ''] : [text.slice(0, index), text.slice(index + 1)];
}
