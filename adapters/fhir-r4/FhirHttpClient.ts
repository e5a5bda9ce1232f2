import type { Logger } from '../../core/logging/logger';
import { SourceCallError } from '../../core/http/SourceCallError';
import { SourceClient, type HttpReply } from '../../core/http/SourceClient';
import type { FhirAuth } from './FhirR4Config';
import { fhirSourceError, type FhirFailure } from './fhirSourceError';

export interface FhirHttpClientOptions {
  /** The FHIR server's base URL: every request goes to its origin (one keep-alive pool). */
  readonly baseUrl: string;
  readonly auth: FhirAuth;
  readonly timeoutMs: number;
  /** Largest answer read; a longer one is cut off and refused (SOURCE_INVALID_RESPONSE). */
  readonly maxResponseBytes: number;
  readonly facilityCode: string;
  readonly logger: Logger;
}

/**
 * Consecutive failed requests (no answer, or a 5xx) after which the FHIR server is given a rest,
 * and how long: the same defaults as the gateway's breaker per source (gateway/network/SourceClients.ts).
 */
const BREAKER = { failureThreshold: 5, openMs: 10_000 } as const;

/**
 * The HTTP edge of the fhir-r4 adapter: one JSON request to the FHIR server with the configured
 * credentials, through the one source client (core/http/SourceClient.ts: a keep-alive pool, a
 * deadline for the whole call, a circuit breaker, one jittered retry after a connection error —
 * every request here is a read — and a streamed size cap), turned into parsed JSON or a coded
 * `PatientGraphError` (fhirSourceError) — never a crash. Redirects are refused (the pool does not
 * follow them, and a 3xx is an HTTP failure): credentials stay with the configured server.
 * Failures are logged with status and issue codes only: request URLs hold identifiers.
 */
export class FhirHttpClient {
  private sent = 0;
  private readonly headers: Readonly<Record<string, string>>;
  private readonly client: SourceClient;
  private readonly origin: string;

  constructor(private readonly options: FhirHttpClientOptions) {
    const authorization = authorizationOf(options.auth);
    this.headers = { accept: 'application/fhir+json', ...(authorization ? { authorization } : {}) };
    this.origin = new URL(options.baseUrl).origin;
    this.client = new SourceClient({ url: options.baseUrl, deadlineMs: options.timeoutMs, maxResponseBytes: options.maxResponseBytes, breaker: BREAKER });
  }

  /** HTTP requests sent so far (a retry after a connection error included). */
  get requests(): number {
    return this.sent;
  }

  resetRequests(): void {
    this.sent = 0;
  }

  /** Closes the kept-alive connections. */
  close(): Promise<void> {
    return this.client.close();
  }

  /** Sends one request and returns its JSON body; `resourceType` names the search in errors and logs. */
  async send(method: 'GET' | 'POST', url: string, resourceType: string, body?: unknown): Promise<unknown> {
    const started = performance.now();
    const target = new URL(url);
    // Callers build URLs from baseUrl and check next links (FhirSearchClient.onSameServer): another origin is a bug.
    if (target.origin !== this.origin) throw new Error('FhirHttpClient: a request to another server than the configured one');
    const path = `${target.pathname}${target.search}`;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    let reply: HttpReply;
    try {
      reply = await this.client.call(
        () => {
          this.sent += 1;
          return payload === undefined
            ? { method, path, headers: this.headers }
            : { method, path, headers: { ...this.headers, 'content-type': 'application/fhir+json' }, body: payload };
        },
        (answer) => answer,
        { idempotent: true, isFailure: (answer) => answer.status >= 500 },
      );
    } catch (error) {
      throw this.fail(callFailure(error, this.options), resourceType, started, error);
    }
    const json = parseJson(reply.body);
    const issueCode = json === undefined ? undefined : operationOutcomeIssue(json);
    if (reply.status < 200 || reply.status > 299 || issueCode !== undefined) {
      throw this.fail({ kind: 'http', status: reply.status, issueCode }, resourceType, started);
    }
    if (json === undefined) {
      throw this.fail({ kind: 'malformed', reason: 'something that is not JSON (or JSON cut short)' }, resourceType, started);
    }
    return json;
  }

  private fail(failure: FhirFailure, resourceType: string, started: number, cause?: unknown): Error {
    const { facilityCode } = this.options;
    this.options.logger.warn('fhir.request_failed', {
      facilityCode,
      resourceType,
      failure: failure.kind,
      httpStatus: failure.kind === 'http' ? failure.status : undefined,
      issueCode: failure.kind === 'http' ? failure.issueCode : undefined,
      errorCode: causeCode(cause),
      durationMs: Math.round(performance.now() - started),
    });
    return fhirSourceError(failure, { facilityCode, resourceType }, cause);
  }
}

/** What a call that got no usable answer means for the adapter. */
function callFailure(error: unknown, options: FhirHttpClientOptions): FhirFailure {
  if (!(error instanceof SourceCallError)) return { kind: 'unreachable' };
  switch (error.kind) {
    case 'timeout':
      return { kind: 'timeout', timeoutMs: options.timeoutMs };
    case 'too-large':
      return { kind: 'malformed', reason: `an answer larger than adapter.maxResponseBytes (${options.maxResponseBytes})` };
    case 'unreachable':
    case 'circuit-open':
    case 'overloaded':
      return { kind: 'unreachable' };
  }
}

function authorizationOf(auth: FhirAuth): string | undefined {
  switch (auth.kind) {
    case 'none':
      return undefined;
    case 'bearer':
      return `Bearer ${auth.token}`;
    case 'basic':
      return `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The first issue code of an OperationOutcome (operationoutcome.html), `''` when it has none;
 * undefined when the body is not an OperationOutcome. A search answered with one failed, whatever
 * the status says.
 */
function operationOutcomeIssue(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null || (json as { resourceType?: unknown }).resourceType !== 'OperationOutcome') return undefined;
  const issues = (json as { issue?: unknown }).issue;
  const first: unknown = Array.isArray(issues) ? issues[0] : undefined;
  const code = typeof first === 'object' && first !== null ? (first as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : '';
}

/** The network error's code (ECONNREFUSED, UND_ERR_…) under the source client's error, or the call kind. */
function causeCode(error: unknown): string | undefined {
  const code = propertyOf(propertyOf(error, 'cause'), 'code') ?? propertyOf(error, 'kind');
  return typeof code === 'string' ? code : undefined;
}

/**
 * A property of a thrown value, read without `instanceof`: fetch rejects with a DOMException or a
 * TypeError of Node's own realm, which is not an `Error` of a sandboxed one (jest, vm).
 */
function propertyOf(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}
