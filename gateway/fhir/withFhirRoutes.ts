import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { EVERYTHING_QUERY, type EverythingPatient } from './everythingQuery';
import { toFhirEverythingBundle } from './toFhirEverythingBundle';

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

export interface FhirRoutesOptions {
  /** The gateway's own GraphQL URL: the FHIR read runs through it, so access, consent and audit are the graph's. */
  readonly graphqlUrl: () => string;
}

const EVERYTHING_PATH = /^\/fhir\/Patient\/([^/]+)\/\$everything$/;
const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/**
 * FHIR R4 out: `GET /fhir/Patient/{nationalId}/$everything` answers one patient's merged record
 * as a searchset Bundle. It sends the caller's own bearer token to the gateway's GraphQL endpoint,
 * so the same access rules, consent and audit apply as to any query; errors are OperationOutcomes.
 */
export function withFhirRoutes(next: RequestListener, options: FhirRoutesOptions): RequestListener {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://gateway.invalid');
    const match = EVERYTHING_PATH.exec(url.pathname);
    if (!match || req.method !== 'GET') {
      next(req, res);
      return;
    }
    everything(decodeURIComponent(match[1] ?? ''), req, options).then(
      ({ status, body }) => {
        res.writeHead(status, { 'content-type': FHIR_JSON });
        res.end(JSON.stringify(body));
      },
      () => {
        res.writeHead(500, { 'content-type': FHIR_JSON });
        res.end(JSON.stringify(outcome('exception', 'the record could not be read')));
      },
    );
  };
}

async function everything(nationalId: string, req: IncomingMessage, options: FhirRoutesOptions): Promise<{ status: number; body: unknown }> {
  const graphqlUrl = options.graphqlUrl();
  const response = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) },
    body: JSON.stringify({ query: EVERYTHING_QUERY, variables: { nationalId } }),
  });
  const result = (await response.json()) as { data?: { patient: EverythingPatient | null } | null; errors?: { message: string; extensions?: { code?: string } }[] };
  const code = result.errors?.[0]?.extensions?.code;
  const patient = result.data?.patient;
  if (!patient) {
    if (code === 'UNAUTHENTICATED') return { status: 401, body: outcome('login', 'a valid bearer token is required') };
    if (code === 'FORBIDDEN' || code === 'CONSENT_DENIED') return { status: 403, body: outcome('forbidden', 'this caller may not read this patient') };
    if (code === 'INVALID_IDENTIFIER' || code === 'BAD_USER_INPUT') return { status: 400, body: outcome('value', 'the national ID is not a 12-digit CCCD number') };
    if (code !== undefined) return { status: response.status >= 400 ? response.status : 502, body: outcome('exception', `the record could not be read (${code})`) };
    return { status: 404, body: outcome('not-found', 'no patient with this national ID') };
  }
  const base = graphqlUrl.replace(/\/graphql$/, '/fhir');
  return { status: 200, body: toFhirEverythingBundle(patient, base, new Date().toISOString()) };
}

function outcome(code: 'login' | 'forbidden' | 'value' | 'not-found' | 'exception', diagnostics: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] };
}
