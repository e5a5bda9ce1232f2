import { PatientGraphError } from '../../core/errors/PatientGraphError';
import { generateNonce } from '../../core/security/generateNonce';
import { signRequest, type SignatureHeaders, type SignedPrincipal } from '../../core/security/requestSignature';
import type { RegisteredSource } from '../sources/RegisteredSource';
import type { HttpReply, OutboundRequest } from '../../core/http/SourceClient';
import { SourceCallError } from '../../core/http/SourceCallError';
import type { SourceClients } from './SourceClients';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { traceparentOf } from '../observability/traceparentOf';

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

/** Judges a parsed answer: a reason to drop it (it then counts against the source's breaker), or undefined. */
export type AnswerCheck = (body: SourceResponseBody) => string | undefined;

type FailureCode = 'SOURCE_UNAVAILABLE' | 'SOURCE_TIMEOUT' | 'SOURCE_INVALID_RESPONSE';

/**
 * One GraphQL-over-HTTP POST to one source through its `SourceClient` (keep-alive pool, deadline,
 * circuit breaker, bulkhead, one retry on connection errors for reads, streamed size cap), signed
 * with the source's secret for `source.code` (docs/architecture.md §6) — signed again for a retry,
 * since a nonce is single-use. Never throws: every failure becomes a coded error naming the
 * facility, never the source's URL (internal addresses stay in the server log).
 */
export async function fetchFromSource(
  source: RegisteredSource,
  request: SourceRequest,
  clients: SourceClients,
  check?: AnswerCheck,
): Promise<SourceAnswer> {
  // A no-op unless tracing is on (gateway/observability/startTracing): then a span per call, and
  // its W3C `traceparent` sent along so the source's work joins the same trace.
  return tracer.startActiveSpan('source.fetch', { kind: SpanKind.CLIENT, attributes: { 'patient_graph.source': source.code, 'patient_graph.contract': source.contract } }, async (span) => {
    try {
      const traced = span.isRecording() ? { ...request, headers: { ...request.headers, traceparent: traceparentOf(span.spanContext()) } } : request;
      const answer = await callSource(source, traced, clients, check);
      const outcome = answer.kind === 'answered' ? 'answered' : answer.error.code;
      span.setAttribute('patient_graph.outcome', outcome);
      if (answer.kind === 'failed') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
      clients.answered(source.code, outcome, answer.durationMs);
      return answer;
    } finally {
      span.end();
    }
  });
}

const tracer = trace.getTracer('patient-graph');

async function callSource(source: RegisteredSource, request: SourceRequest, clients: SourceClients, check: AnswerCheck | undefined): Promise<SourceAnswer> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  const details = source.contract === 'clinical' ? { facilityCode: source.code } : { source: source.code };
  const failed = (code: FailureCode, message: string, cause?: unknown): SourceAnswer =>
    ({ kind: 'failed', error: new PatientGraphError(code, message, details, { cause }), durationMs: elapsed() });
  // Serialized once: every attempt's signature covers these exact bytes.
  const body = JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName });
  const headers = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json',
    ...withoutSignatureHeaders(request.headers),
  };
  const build = (): OutboundRequest => ({ body, headers: { ...headers, ...sign(source, body, request.principal ?? null) } });
  let first: OutboundRequest | undefined;
  try {
    first = build();
  } catch (error) {
    // A secret missing or too short is a configuration mistake; the source is not called unsigned.
    return failed('SOURCE_UNAVAILABLE', `${source.name} has no valid request-signing secret configured; it was not called`, error);
  }
  try {
    // The first attempt uses the request signed above; a retry is signed afresh.
    const next = (): OutboundRequest => {
      const prepared = first ?? build();
      first = undefined;
      return prepared;
    };
    const outcome = await clients.for(source).post(next, (reply) => interpret(reply, check), {
      idempotent: READ_OPERATION.test(request.query),
      isFailure: (o) => o.kind === 'failed',
    });
    if (outcome.kind === 'failed') return failed(outcome.code, `${source.name} ${outcome.message}`, outcome.cause);
    return { kind: 'answered', body: outcome.body, durationMs: elapsed() };
  } catch (error) {
    if (!(error instanceof SourceCallError)) return failed('SOURCE_UNAVAILABLE', `${source.name} could not be reached`, error);
    switch (error.kind) {
      case 'timeout':
        return failed('SOURCE_TIMEOUT', `${source.name} did not answer within ${source.timeoutMs} ms`, error.cause);
      case 'too-large':
        return failed('SOURCE_INVALID_RESPONSE', `${source.name} sent an answer larger than allowed`, error);
      case 'circuit-open':
        return failed('SOURCE_UNAVAILABLE', `${source.name} is unavailable (repeated failures; retrying shortly)`, error);
      case 'overloaded':
        return failed('SOURCE_UNAVAILABLE', `${source.name} is busy (too many requests in flight); it was not called`, error);
      case 'unreachable':
        return failed('SOURCE_UNAVAILABLE', `${source.name} could not be reached`, error.cause ?? error);
    }
  }
}

/** Operations the query planner sends for reads (`query …` or the shorthand `{ … }`): safe to send twice. */
const READ_OPERATION = /^\s*(?:query\b|\{)/;

type Interpreted =
  | { readonly kind: 'answered'; readonly body: SourceResponseBody }
  | { readonly kind: 'failed'; readonly code: FailureCode; readonly message: string; readonly cause?: Error };

function sign(source: RegisteredSource, body: string, principal: SignedPrincipal | null): SignatureHeaders {
  return signRequest({ secret: source.secret, method: 'POST', target: source.code, body, principal, timestampMs: Date.now(), nonce: generateNonce() });
}

function interpret(reply: HttpReply, check: AnswerCheck | undefined): Interpreted {
  const answer = parseBody(reply.body);
  // The source refused the gateway itself (secret or clock out of step): the client's own
  // credentials are not at fault, so this is the source being unavailable, not UNAUTHENTICATED.
  if (reply.status === 401) {
    const reason = answer?.errors?.[0]?.message ?? 'no reason given';
    return { kind: 'failed', code: 'SOURCE_UNAVAILABLE', message: "refused the gateway's request signature", cause: new Error(`HTTP 401: ${reason}`) };
  }
  // GraphQL-over-HTTP: 4xx with a GraphQL body is a request error the source explains; 5xx or a
  // body that is not GraphQL means the source is broken.
  if (!answer) {
    const code = reply.status >= 200 && reply.status < 300 ? 'SOURCE_INVALID_RESPONSE' : 'SOURCE_UNAVAILABLE';
    return { kind: 'failed', code, message: `answered HTTP ${reply.status} without a GraphQL response` };
  }
  if (reply.status >= 500 && answer.data === undefined) {
    return { kind: 'failed', code: 'SOURCE_UNAVAILABLE', message: `failed (HTTP ${reply.status})` };
  }
  const rejection = check?.(answer);
  if (rejection !== undefined) {
    return { kind: 'failed', code: 'SOURCE_INVALID_RESPONSE', message: 'sent an answer that does not fit the request; it was dropped', cause: new Error(rejection) };
  }
  return { kind: 'answered', body: answer };
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
