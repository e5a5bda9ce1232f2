import type { Logger } from '../../core/logging/logger';
import type { FhirAuth } from './FhirR4Config';
import { fhirSourceError, type FhirFailure } from './fhirSourceError';
import { isFetchTimeout } from '../../core/http/isFetchTimeout';

export interface FhirHttpClientOptions {
  readonly auth: FhirAuth;
  readonly timeoutMs: number;
  /** Largest answer read; a longer one is cut off and refused (SOURCE_INVALID_RESPONSE). */
  readonly maxResponseBytes: number;
  readonly facilityCode: string;
  readonly logger: Logger;
}

/**
 * The HTTP edge of the fhir-r4 adapter: one JSON request to the FHIR server with the configured
 * credentials and an aborting deadline, turned into parsed JSON or a coded `PatientGraphError`
 * (fhirSourceError) — never a crash. Redirects are refused (credentials stay with the configured
 * server). Failures are logged with status and issue codes only: request URLs hold identifiers.
 */
export class FhirHttpClient {
  private sent = 0;
  private readonly headers: Readonly<Record<string, string>>;

  constructor(private readonly options: FhirHttpClientOptions) {
    const authorization = authorizationOf(options.auth);
    this.headers = { accept: 'application/fhir+json', ...(authorization ? { authorization } : {}) };
  }

  /** HTTP requests sent so far. */
  get requests(): number {
    return this.sent;
  }

  resetRequests(): void {
    this.sent = 0;
  }

  /** Sends one request and returns its JSON body; `resourceType` names the search in errors and logs. */
  async send(method: 'GET' | 'POST', url: string, resourceType: string, body?: unknown): Promise<unknown> {
    const started = performance.now();
    this.sent += 1;
    let status: number;
    let text: string | undefined;
    try {
      const response = await fetch(url, {
        method,
        headers: body === undefined ? this.headers : { ...this.headers, 'content-type': 'application/fhir+json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        redirect: 'error',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      status = response.status;
      text = await readLimited(response, this.options.maxResponseBytes); // still under the deadline: a body that stalls times out too
    } catch (error) {
      throw this.fail(isFetchTimeout(error) ? { kind: 'timeout', timeoutMs: this.options.timeoutMs } : { kind: 'unreachable' }, resourceType, started, error);
    }
    if (text === undefined) {
      throw this.fail({ kind: 'malformed', reason: `an answer larger than adapter.maxResponseBytes (${this.options.maxResponseBytes})` }, resourceType, started);
    }
    const json = parseJson(text);
    const issueCode = json === undefined ? undefined : operationOutcomeIssue(json);
    if (status < 200 || status > 299 || issueCode !== undefined) {
      throw this.fail({ kind: 'http', status, issueCode }, resourceType, started);
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

/** The body as text, or undefined (and the rest discarded) once it passes `maxBytes`. */
async function readLimited(response: Response, maxBytes: number): Promise<string | undefined> {
  if (response.body === null) return '';
  // Node's ReadableStream is async-iterable; leaving the loop early cancels it.
  const body = response.body as unknown as AsyncIterable<Uint8Array>;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > maxBytes) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
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

/** Node network errors carry their code on the cause (`fetch failed` → ECONNREFUSED). */
function causeCode(error: unknown): string | undefined {
  const code = propertyOf(propertyOf(error, 'cause'), 'code');
  return typeof code === 'string' ? code : undefined;
}

/**
 * A property of a thrown value, read without `instanceof`: fetch rejects with a DOMException or a
 * TypeError of Node's own realm, which is not an `Error` of a sandboxed one (jest, vm).
 */
function propertyOf(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}
