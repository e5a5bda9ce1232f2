import {
  BrokenCircuitError,
  BulkheadRejectedError,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TaskCancelledError,
  TimeoutStrategy,
  bulkhead,
  circuitBreaker,
  handleAll,
  handleWhen,
  retry,
  timeout,
  CircuitState as BreakerState,
  type BulkheadPolicy,
  type CircuitBreakerPolicy,
  type RetryPolicy,
  type TimeoutPolicy,
} from 'cockatiel';
import { Pool } from 'undici';
import type { ClientTls } from './ClientTls';
import { isConnectionError } from './isConnectionError';
import { readCappedBody } from './readCappedBody';
import { SourceCallError } from './SourceCallError';

/** Calls to one source that may wait for a free slot before further ones are refused at once (the gateway's `limits.sourceQueue`). */
export const DEFAULT_SOURCE_QUEUE = 256;

export interface SourceClientOptions {
  /** The source's endpoint; one keep-alive connection pool serves its origin. */
  readonly url: string;
  /** Deadline of one call, everything included (queueing in the pool, connect, retry, body). */
  readonly deadlineMs: number;
  /** Deadline of opening one connection (default: the smaller of 2 s and the call deadline). */
  readonly connectTimeoutMs?: number;
  /** Answers larger than this are refused while streaming (default 32 MiB). */
  readonly maxResponseBytes?: number;
  /** Calls in flight to this source at once (= pooled connections; default 32). */
  readonly concurrency?: number;
  /**
   * Calls waiting for a free slot before new ones are refused as overloaded (default 256). A
   * waiting call's deadline runs while it waits: it gives up as a timeout when no slot frees in time.
   */
  readonly queue?: number;
  /** Consecutive failed calls that open the circuit, and how long it stays open. Null: no breaker. */
  readonly breaker?: { readonly failureThreshold: number; readonly openMs: number } | null;
  /** Base delay of the one retry after a connection error, jittered (default 20 ms). */
  readonly retryDelayMs?: number;
  /**
   * For an https:// url: the CA to trust and the client certificate to present (mTLS). Ignored
   * for http://. The server's certificate is always verified (no "insecure" switch).
   */
  readonly tls?: ClientTls;
}

/** One request as it goes on the wire; built again for each attempt (a signature's nonce is single-use). */
export interface OutboundRequest {
  /** Default POST. */
  readonly method?: 'GET' | 'POST';
  /** Path and query on the source's origin (default: those of its url); never another origin. */
  readonly path?: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Absent for a GET. */
  readonly body?: string;
}

export interface HttpReply {
  readonly status: number;
  readonly body: string;
}

export interface PostOptions<T> {
  /** A read that may be sent twice: retried once after a connection error. */
  readonly idempotent: boolean;
  /** Whether an interpreted answer counts as a failure for the circuit breaker. */
  readonly isFailure: (result: T) => boolean;
}

export type SourceCircuitState = 'closed' | 'open' | 'half-open';

/** Calls to one source right now: sent and waiting for a slot (the bulkhead). */
export interface SourceLoad {
  readonly inFlight: number;
  readonly queued: number;
}

const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/**
 * The one client for outbound calls to a source (docs/dependencies.md §2): a keep-alive undici
 * `Pool` per origin with its own connect/headers/body timeouts, and cockatiel's bulkhead, circuit
 * breaker, deadline and one jittered retry on connection errors for idempotent reads. The deadline
 * wraps the bulkhead, so time spent waiting for a slot counts against it (a call never waits past
 * its deadline), and a call still queued at its deadline is dropped without being sent. The
 * response is read with a streamed size cap.
 */
export class SourceClient {
  private readonly pool: Pool;
  private readonly path: string;
  private readonly maxResponseBytes: number;
  private readonly bulkhead: BulkheadPolicy;
  private readonly breaker: CircuitBreakerPolicy | null;
  private readonly deadline: TimeoutPolicy;
  private readonly retry: RetryPolicy;
  private readonly concurrency: number;
  private readonly queueCapacity: number;

  constructor(readonly options: SourceClientOptions) {
    const url = new URL(options.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('SourceClient: the url must be http or https');
    assertPositiveInteger('deadlineMs', options.deadlineMs);
    const concurrency = options.concurrency ?? 32;
    assertPositiveInteger('concurrency', concurrency);
    const queue = options.queue ?? DEFAULT_SOURCE_QUEUE;
    if (!Number.isInteger(queue) || queue < 0) throw new Error('SourceClient: queue must be a non-negative integer');
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    assertPositiveInteger('maxResponseBytes', this.maxResponseBytes);
    const connectTimeout = options.connectTimeoutMs ?? Math.min(2_000, options.deadlineMs);
    assertPositiveInteger('connectTimeoutMs', connectTimeout);
    this.path = `${url.pathname}${url.search}`;
    this.pool = new Pool(url.origin, {
      connections: concurrency,
      connectTimeout,
      headersTimeout: options.deadlineMs,
      bodyTimeout: options.deadlineMs,
      keepAliveTimeout: 10_000,
      ...(url.protocol === 'https:' && options.tls ? { connect: tlsConnectOptions(options.tls) } : {}),
    });
    this.concurrency = concurrency;
    this.queueCapacity = queue;
    this.bulkhead = bulkhead(concurrency, queue);
    this.breaker = options.breaker ? createBreaker(options.breaker) : null;
    // Not aborted on return: by then the request is over, and each abort builds a DOMException
    // (with its stack) per call for nothing. At the deadline the timer still aborts the request.
    this.deadline = timeout(options.deadlineMs, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false });
    const base = options.retryDelayMs ?? 20;
    this.retry = retry(handleWhen(isConnectionError), { maxAttempts: 1, backoff: new ExponentialBackoff({ initialDelay: base, maxDelay: base * 4 }) });
  }

  /**
   * POSTs `build()` and turns the reply into a `T` with `interpret`. Throws `SourceCallError` when
   * there is no usable answer; a `T` that `isFailure` rejects is returned but counts against the
   * circuit breaker.
   */
  async post<T>(build: () => OutboundRequest, interpret: (reply: HttpReply) => T, options: PostOptions<T>): Promise<T> {
    return this.call(build, interpret, options);
  }

  /** `post` for any request of `OutboundRequest` (a GET of a search URL, a POST to another path). */
  async call<T>(build: () => OutboundRequest, interpret: (reply: HttpReply) => T, options: PostOptions<T>): Promise<T> {
    const once = async (signal: AbortSignal): Promise<T> => {
      const send = (): Promise<HttpReply> => this.send(build(), signal);
      const reply = options.idempotent ? await this.retry.execute(send, signal) : await send();
      const result = interpret(reply);
      if (options.isFailure(result)) throw new RejectedResult(result);
      return result;
    };
    const breaker = this.breaker;
    // The request always listens on the deadline's own signal, never on one a policy hands down:
    // the breaker runs the calls that waited for its half-open trial again without their signal,
    // i.e. on cockatiel's one module-wide signal (cockatiel/dist/CircuitBreakerPolicy.js), where
    // each such call in flight hung undici's abort listener (a leak warning past 10 at once under
    // load) and its deadline no longer aborted the request.
    const limited = (signal: AbortSignal): Promise<T> =>
      this.bulkhead.execute(() => (breaker ? breaker.execute(() => once(signal), signal) : once(signal)), signal);
    try {
      // The deadline is outermost and given no signal: cockatiel then derives a fresh one per call.
      // Every inner policy gets that call's signal; one given none would hang each waiting call's
      // listener on cockatiel's one module-wide signal (a leak warning past 10 calls queued).
      return await this.deadline.execute(({ signal }) => limited(signal));
    } catch (error) {
      if (error instanceof RejectedResult) return error.result as T;
      throw toSourceCallError(error, this.options.deadlineMs);
    }
  }

  /** How many calls are in flight and how many wait for a slot (docs/registry.md §1 `concurrency`). */
  load(): SourceLoad {
    return { inFlight: this.concurrency - this.bulkhead.executionSlots, queued: this.queueCapacity - this.bulkhead.queueSlots };
  }

  circuitState(): SourceCircuitState {
    switch (this.breaker?.state) {
      case undefined:
      case BreakerState.Closed:
        return 'closed';
      case BreakerState.HalfOpen:
        return 'half-open';
      case BreakerState.Open:
      case BreakerState.Isolated:
        return 'open';
    }
  }

  /** Closes idle connections and refuses new calls; calls in flight finish. */
  async close(): Promise<void> {
    await this.pool.close();
  }

  private async send(request: OutboundRequest, signal: AbortSignal): Promise<HttpReply> {
    const path = request.path ?? this.path;
    // A path, not a URL: the pool is bound to one origin, and a caller's mistake must not look like one.
    if (!path.startsWith('/') || path.startsWith('//')) throw new Error('SourceClient: a request path must start with a single /');
    const response = await this.pool.request({ path, method: request.method ?? 'POST', headers: request.headers, body: request.body ?? null, signal });
    const body = await readCappedBody(response.body, response.headers['content-length'], this.maxResponseBytes);
    return { status: response.statusCode, body };
  }
}

/** Carries an answer judged a failure through the breaker (which counts what is thrown). */
class RejectedResult extends Error {
  constructor(readonly result: unknown) {
    super('the answer was judged a failure');
  }
}

/** Node TLS options from the PEM material; only what was given (the rest stays Node's default). */
function tlsConnectOptions(tls: ClientTls): { ca?: string; cert?: string; key?: string; rejectUnauthorized: true } {
  if ((tls.cert === undefined) !== (tls.key === undefined)) throw new Error('SourceClient: tls.cert and tls.key go together');
  return {
    rejectUnauthorized: true,
    ...(tls.ca !== undefined ? { ca: tls.ca } : {}),
    ...(tls.cert !== undefined ? { cert: tls.cert } : {}),
    ...(tls.key !== undefined ? { key: tls.key } : {}),
  };
}

function createBreaker(options: { readonly failureThreshold: number; readonly openMs: number }): CircuitBreakerPolicy {
  assertPositiveInteger('breaker.failureThreshold', options.failureThreshold);
  if (!Number.isFinite(options.openMs) || options.openMs < 0) throw new Error('SourceClient: breaker.openMs must not be negative');
  return circuitBreaker(handleAll, { halfOpenAfter: options.openMs, breaker: new ConsecutiveBreaker(options.failureThreshold) });
}

function toSourceCallError(error: unknown, deadlineMs: number): SourceCallError {
  if (error instanceof SourceCallError) return error;
  if (error instanceof TaskCancelledError || isUndiciTimeout(error)) {
    return new SourceCallError('timeout', `no answer within ${deadlineMs} ms`, { cause: error });
  }
  if (error instanceof BrokenCircuitError) return new SourceCallError('circuit-open', 'recent calls kept failing', { cause: error });
  if (error instanceof BulkheadRejectedError) return new SourceCallError('overloaded', 'too many calls in flight', { cause: error });
  return new SourceCallError('unreachable', 'could not be reached', { cause: error });
}

function isUndiciTimeout(error: unknown): boolean {
  const code = error !== null && typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
  return code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
}

function assertPositiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new Error(`SourceClient: ${name} must be a positive integer, got ${String(value)}`);
}
