import { Agent, fetch as undiciFetch } from 'undici';
import type { ClientTls } from '../../core/http/ClientTls';
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

/** Sends a prepared request; network failures and timeouts resolve as status 0 with the reason. */
export async function send(prepared: PreparedRequest): Promise<KitResponse> {
  const started = performance.now();
  try {
    const init = { method: 'POST', headers: prepared.headers, body: prepared.body, signal: AbortSignal.timeout(prepared.timeoutMs) };
    // Over mutual TLS with the certificate the gateway's own client presents (core/http/SourceClient).
    const { status, text } = await post(prepared.url, init, prepared.tls);
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: kept as text, the checks report it
    }
    return { status, body, durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { status: 0, body: error instanceof Error ? error.message : String(error), durationMs: Math.round(performance.now() - started) };
  }
}

export function postToSource(request: KitRequest): Promise<KitResponse> {
  return send(prepareRequest(request));
}

/** The status and body text of one POST; over mutual TLS through a dispatcher holding the certificate. */
async function post(url: string, init: { method: string; headers: Readonly<Record<string, string>>; body: string; signal: AbortSignal }, tls: ClientTls | undefined): Promise<{ status: number; text: string }> {
  if (!tls || !url.startsWith('https:')) {
    const response = await fetch(url, init);
    return { status: response.status, text: await response.text() };
  }
  const dispatcher = new Agent({ connect: { rejectUnauthorized: true, ...tls } });
  try {
    const response = await undiciFetch(url, { ...init, dispatcher });
    return { status: response.status, text: await response.text() };
  } finally {
    await dispatcher.close();
  }
}
