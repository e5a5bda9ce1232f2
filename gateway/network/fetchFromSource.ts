import { PatientGraphError } from '../../core/errors/PatientGraphError';
import { generateNonce } from '../../core/security/generateNonce';
import { signRequest, type SignatureHeaders, type SignedPrincipal } from '../../core/security/requestSignature';
import type { RegisteredSource } from '../sources/RegisteredSource';
import { isFetchTimeout } from '../../core/http/isFetchTimeout';

/** A GraphQL-over-HTTP response body as a source sent it (not yet trusted). */
export interface SourceResponseBody {
  readonly data?: unknown;
  readonly errors?: readonly SourceError[];
}

export interface SourceError {
  readonly message: string;
  readonly path?: readonly (string | number)[];
  readonly extensions?: Readonly<Record<string, unknown>>;
}

export interface SourceRequest {
  readonly query: string;
  readonly variables: Readonly<Record<string, unknown>>;
  readonly operationName?: string | undefined;
  /** Extra headers (trace id). The signature headers are added last and cannot be overridden. */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Who the gateway asks for: its facts travel in the signed part (only `SignedPrincipal`'s
   * fields, whatever else the object holds). Absent or null for requests without a principal.
   */
  readonly principal?: SignedPrincipal | null;
}

export type SourceAnswer =
  | { readonly kind: 'answered'; readonly body: SourceResponseBody; readonly durationMs: number }
  | { readonly kind: 'failed'; readonly error: PatientGraphError; readonly durationMs: number };

const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/**
 * One GraphQL-over-HTTP POST to one source, signed with the source's secret for `source.code`
 * (docs/architecture.md §6), with an aborting deadline (a `Promise.race` would leave the socket busy). Never
 * throws: every failure becomes a coded error naming the facility, never the source's URL
 * (internal addresses stay in the server log).
 */
export async function fetchFromSource(source: RegisteredSource, request: SourceRequest): Promise<SourceAnswer> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  const details = source.contract === 'clinical' ? { facilityCode: source.code } : { source: source.code };
  // Serialized once: the signature covers these exact bytes.
  const body = JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName });
  let signature: SignatureHeaders;
  try {
    signature = signRequest({
      secret: source.secret,
      method: 'POST',
      target: source.code,
      body,
      principal: request.principal ?? null,
      timestampMs: Date.now(),
      nonce: generateNonce(),
    });
  } catch (error) {
    // A secret missing or too short is a configuration mistake; the source is not called unsigned.
    return failed('SOURCE_UNAVAILABLE', `${source.name} has no valid request-signing secret configured; it was not called`, error);
  }
  try {
    const response = await fetch(source.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...withoutSignatureHeaders(request.headers),
        ...signature,
      },
      body,
      signal: AbortSignal.timeout(source.timeoutMs),
    });
    const text = await response.text();
    if (text.length > MAX_RESPONSE_BYTES) {
      return failed('SOURCE_INVALID_RESPONSE', `${source.name} sent an answer larger than allowed`);
    }
    const answer = parseBody(text);
    // The source refused the gateway itself (secret or clock out of step): the client's own
    // credentials are not at fault, so this is the source being unavailable, not UNAUTHENTICATED.
    if (response.status === 401) {
      const reason = answer?.errors?.[0]?.message ?? 'no reason given';
      return failed('SOURCE_UNAVAILABLE', `${source.name} refused the gateway's request signature`, new Error(`HTTP 401: ${reason}`));
    }
    // GraphQL-over-HTTP: 4xx with a GraphQL body is a request error the source explains; 5xx or a
    // body that is not GraphQL means the source is broken.
    if (!answer) {
      const code = response.ok ? 'SOURCE_INVALID_RESPONSE' : 'SOURCE_UNAVAILABLE';
      return failed(code, `${source.name} answered HTTP ${response.status} without a GraphQL response`);
    }
    if (response.status >= 500 && answer.data === undefined) {
      return failed('SOURCE_UNAVAILABLE', `${source.name} failed (HTTP ${response.status})`);
    }
    return { kind: 'answered', body: answer, durationMs: elapsed() };
  } catch (error) {
    if (isFetchTimeout(error)) {
      return failed('SOURCE_TIMEOUT', `${source.name} did not answer within ${source.timeoutMs} ms`, error);
    }
    return failed('SOURCE_UNAVAILABLE', `${source.name} could not be reached`, error);
  }

  function failed(code: 'SOURCE_UNAVAILABLE' | 'SOURCE_TIMEOUT' | 'SOURCE_INVALID_RESPONSE', message: string, cause?: unknown): SourceAnswer {
    return { kind: 'failed', error: new PatientGraphError(code, message, details, { cause }), durationMs: elapsed() };
  }
}

/** Header names are case-insensitive: drop any caller header that could shadow or join a signature header. */
function withoutSignatureHeaders(headers: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).filter(([name]) => !name.toLowerCase().startsWith('x-pg-')));
}

function parseBody(text: string): SourceResponseBody | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const { data, errors } = parsed as { data?: unknown; errors?: unknown };
  if (data === undefined && errors === undefined) return undefined;
  if (errors !== undefined && !isErrorList(errors)) return undefined;
  return { data, errors: errors };
}

function isErrorList(value: unknown): value is SourceError[] {
  return Array.isArray(value) && value.every((e) => e !== null && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string');
}
