import type { Resource } from '@medplum/fhirtypes';

/** One page of a search, read from an untrusted answer. */
export type SearchPage =
  | {
    readonly kind: 'page';
    /** `search.mode` `match` (or unset): resources of the searched type. */
    readonly matches: readonly Resource[];
    /** `search.mode` `include`: resources added by `_include`. */
    readonly included: readonly Resource[];
    /** `Bundle.link[relation=next].url`, as the server wrote it. */
    readonly next: string | undefined;
    readonly total: number | undefined;
  }
  | { readonly kind: 'invalid'; readonly reason: string };

/**
 * Reads a searchset Bundle (bundle.html, search.html#conformance) without trusting it: the answer
 * must be a `Bundle` of type `searchset` whose `entry` is a list of resources with an id, every
 * match of the searched type. `search.mode: outcome` entries (warnings) are skipped. Anything else
 * is `invalid`, with a reason that quotes nothing from the answer.
 */
export function readSearchBundle(json: unknown, resourceType: string): SearchPage {
  if (!isRecord(json) || json.resourceType !== 'Bundle' || json.type !== 'searchset') {
    return invalid('something that is not a searchset Bundle');
  }
  if (json.entry !== undefined && !Array.isArray(json.entry)) return invalid('a Bundle whose entry is not a list');
  if (json.link !== undefined && !Array.isArray(json.link)) return invalid('a Bundle whose link is not a list');
  const matches: Resource[] = [];
  const included: Resource[] = [];
  for (const entry of (json.entry ?? []) as unknown[]) {
    const resource = isRecord(entry) ? entry.resource : undefined;
    const mode = isRecord(entry) && isRecord(entry.search) ? entry.search.mode : undefined;
    if (mode === 'outcome') continue;
    if (!isRecord(resource) || typeof resource.resourceType !== 'string' || typeof resource.id !== 'string' || resource.id === '') {
      return invalid('a Bundle entry that is not a resource with an id');
    }
    if (mode === 'include') {
      included.push(resource as unknown as Resource);
    } else if (resource.resourceType === resourceType) {
      matches.push(resource as unknown as Resource);
    } else {
      return invalid('a Bundle holding resources of another type');
    }
  }
  const next = ((json.link ?? []) as unknown[]).find((link) => isRecord(link) && link.relation === 'next' && typeof link.url === 'string');
  return {
    kind: 'page',
    matches,
    included,
    next: isRecord(next) ? (next.url as string) : undefined,
    total: typeof json.total === 'number' ? json.total : undefined,
  };
}

function invalid(reason: string): SearchPage {
  return { kind: 'invalid', reason };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
