import type { ClientTls } from '../../core/http/ClientTls';
import { SourceCallError } from '../../core/http/SourceCallError';
import { SourceClient } from '../../core/http/SourceClient';
import { generateNonce } from '../../core/security/generateNonce';
import { signRequest } from '../../core/security/requestSignature';

/** How the kit sends one request: properly signed, unsigned, or signed then altered. */
export type Signing = 'signed' | 'unsigned' | 'tampered';

export interface KitRequest {
  readonly url: string;
  readonly target: string;
  readonly secret: string;
  readonly query: string;
  readonly variables?: Readonly<Record<string, unknown>>;
  readonly signing: Signing;
  readonly timeoutMs: number;
  /** For an https:// source: the gateway's CA and client certificate (mutual TLS). */
  readonly tls?: ClientTls;
}

export interface KitResponse {
  readonly status: number;
  readonly body: unknown;
  readonly durationMs: number;
}

/** The exact bytes and headers of a request, so the replay check can send them twice. */
export interface PreparedRequest {
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly tls?: ClientTls;
}

/**
 * Prepares a request as the gateway would send it (docs/architecture.md §6): signed for the target
 * with the source's secret. `tampered` signs the body, then sends a different one (one character
 * of the query changed): a source must refuse it.
 */
export function prepareRequest(request: KitRequest): PreparedRequest {
  const body = JSON.stringify({ query: request.query, variables: request.variables ?? {} });
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
  const tls = request.tls ? { tls: request.tls } : {};
  if (request.signing === 'unsigned') return { url: request.url, body, headers, timeoutMs: request.timeoutMs, ...tls };
  const signature = signRequest({ secret: request.secret, method: 'POST', target: request.target, body, principal: null, timestampMs: Date.now(), nonce: generateNonce() });
  const sent = request.signing === 'tampered' ? body.replace('{', '{ ') : body;
  return { url: request.url, body: sent, headers: { ...headers, ...signature }, timeoutMs: request.timeoutMs, ...tls };
}

/**
 * Sends a prepared request through the one source client (core/http/SourceClient.ts), as the
 * gateway does: keep-alive pool, deadline, streamed size cap, mutual TLS with the gateway's client
 * certificate. Never retried (the replay check counts what reaches the source) and no breaker (each
 * check stands alone). Network failures and timeouts resolve as status 0 with the kind and reason.
 */
export async function send(prepared: PreparedRequest): Promise<KitResponse> {
  const started = performance.now();
  let client: SourceClient | undefined;
  try {
    client = new SourceClient({ url: prepared.url, deadlineMs: prepared.timeoutMs, concurrency: 1, queue: 0, breaker: null, ...(prepared.tls ? { tls: prepared.tls } : {}) });
    const reply = await client.post(() => ({ headers: prepared.headers, body: prepared.body }), (answer) => answer, { idempotent: false, isFailure: () => false });
    let body: unknown = reply.body;
    try {
      body = JSON.parse(reply.body);
    } catch {
      // not JSON: kept as text, the checks report it
    }
    return { status: reply.status, body, durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    const reason = error instanceof SourceCallError ? `${error.kind}: ${error.message}` : error instanceof Error ? error.message : String(error);
    return { status: 0, body: reason, durationMs: Math.round(performance.now() - started) };
  } finally {
    await client?.close();
  }
}

export function postToSource(request: KitRequest): Promise<KitResponse> {
  return send(prepareRequest(request));
}
