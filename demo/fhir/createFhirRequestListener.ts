import type { IncomingMessage, RequestListener } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { badRequest, getStatus, normalizeOperationOutcome, unauthorized } from '@medplum/core';
import type { FhirRequest, FhirRouter, HttpMethod, MemoryRepository } from '@medplum/fhir-router';
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import type { Logger } from '../../core/logging/logger';
import { searchPaging, type PagedSearch } from './searchPaging';

export interface FhirRequestListenerOptions {
  readonly router: FhirRouter;
  readonly repo: MemoryRepository;
  /** Path the FHIR API is served under, e.g. `/fhir`. */
  readonly basePath: string;
  /** Absolute FHIR base URL (known once the server listens), for `Bundle.link`. */
  readonly baseUrl: () => string;
  readonly logger: Logger;
  /** Bearer token every request must carry; none: the server is open (tests only). */
  readonly accessToken?: string;
}

const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const MAX_BODY_BYTES = 50 * 1024 * 1024;

/**
 * The small `node:http` adapter in front of `@medplum/fhir-router` (docs/dependencies.md §5): the URL
 * relative to the FHIR base goes to `FhirRouter.handleRequest` with `pathname: ''` (G12), the
 * status comes from `getStatus(outcome)`, the body is the resource or the OperationOutcome. Type
 * searches — alone or inside a batch — are paged (searchPaging). Logs carry the method, resource
 * type and status, never the query (it holds identifiers).
 */
export function createFhirRequestListener(options: FhirRequestListenerOptions): RequestListener {
  return (req, res) => {
    const started = performance.now();
    void handle(req, options)
      .catch((error: unknown) => [500, normalizeOperationOutcome(error)] as const)
      .then(([status, body]) => {
        res.writeHead(status, { 'content-type': 'application/fhir+json; charset=utf-8' });
        res.end(JSON.stringify(body));
        options.logger.debug('fhir.request', {
          method: req.method ?? '',
          resourceType: (req.url ?? '').slice(options.basePath.length + 1).split(/[/?]/)[0] ?? '',
          status,
          durationMs: Math.round(performance.now() - started),
        });
      })
      .catch(() => res.destroy());
  };
}

async function handle(req: IncomingMessage, options: FhirRequestListenerOptions): Promise<readonly [number, Resource]> {
  if (options.accessToken !== undefined && !carriesToken(req, options.accessToken)) return [401, unauthorized];
  const method = METHODS.find((m) => m === req.method);
  const relative = relativeUrl(req.url ?? '', options.basePath);
  if (method === undefined) return [405, badRequest('Method not allowed')];
  if (relative === undefined) return [404, badRequest(`The FHIR API is served under ${options.basePath}/`)];
  const body = await readBody(req);
  if (body.kind === 'invalid') return [body.status, badRequest(body.message)];

  const route = options.router.find(method, relative);
  const paged = method === 'GET' && route?.data?.interaction === 'search-type' ? searchPaging(relative) : undefined;
  const batchPaging = route?.data?.interaction === 'batch' ? pageBatchSearches(body.value, options.router) : [];
  const request: FhirRequest = {
    method,
    url: paged?.url ?? relative,
    pathname: '', // G12: the router derives it from `url`, and throws when it is set
    query: {},
    params: {},
    body: body.value,
    headers: req.headers,
  };
  const [outcome, resource] = await options.router.handleRequest(request, options.repo);
  const status = getStatus(outcome);
  if (resource === undefined) return [status, outcome];
  if (paged && resource.resourceType === 'Bundle') return [status, paged.addLinks(resource, options.baseUrl())];
  if (batchPaging.length > 0 && resource.resourceType === 'Bundle') return [status, linkBatchEntries(resource, batchPaging, options.baseUrl())];
  return [status, resource];
}

/** Pages the GET searches of a batch Bundle in place; returns each entry's paging (undefined for others). */
/** Compared in constant time: the token is a credential. */
function carriesToken(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? '';
  const expected = Buffer.from(`Bearer ${token}`);
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function pageBatchSearches(body: unknown, router: FhirRouter): (PagedSearch | undefined)[] {
  const bundle = body as Partial<Bundle> | undefined;
  if (bundle?.resourceType !== 'Bundle' || !Array.isArray(bundle.entry)) return [];
  return bundle.entry.map((entry: BundleEntry) => {
    const request = entry.request;
    if (request?.method !== 'GET' || typeof request.url !== 'string') return undefined;
    if (router.find('GET', request.url)?.data?.interaction !== 'search-type') return undefined;
    const paged = searchPaging(request.url);
    request.url = paged.url;
    return paged;
  });
}

function linkBatchEntries(bundle: Bundle, paging: readonly (PagedSearch | undefined)[], baseUrl: string): Bundle {
  return {
    ...bundle,
    entry: (bundle.entry ?? []).map((entry, i) => {
      const paged = paging[i];
      return paged && entry.resource?.resourceType === 'Bundle' ? { ...entry, resource: paged.addLinks(entry.resource, baseUrl) } : entry;
    }),
  };
}

function relativeUrl(url: string, basePath: string): string | undefined {
  if (url === basePath || url.startsWith(`${basePath}?`)) return url.slice(basePath.length);
  return url.startsWith(`${basePath}/`) ? url.slice(basePath.length + 1) : undefined;
}

type Body = { kind: 'ok'; value: unknown } | { kind: 'invalid'; status: number; message: string };

/** JSON (application/fhir+json) or form-encoded (`POST [type]/_search`) bodies; none for GET. */
async function readBody(req: IncomingMessage): Promise<Body> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return { kind: 'invalid', status: 413, message: 'Request body too large' };
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return { kind: 'ok', value: undefined };
  if ((req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    return { kind: 'ok', value: Object.fromEntries(new URLSearchParams(text)) };
  }
  try {
    return { kind: 'ok', value: JSON.parse(text) as unknown };
  } catch {
    return { kind: 'invalid', status: 400, message: 'The request body is not JSON' };
  }
}
