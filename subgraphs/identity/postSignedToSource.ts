import type { ClientTls } from '../../core/http/ClientTls';
import { SourceClient } from '../../core/http/SourceClient';
import { generateNonce } from '../../core/security/generateNonce';
import { signRequest } from '../../core/security/requestSignature';

/** A hospital the patient index reads from: its feed and its `matchedRecords` (docs/identity.md §2). */
export interface FeedSource {
  /** Facility code (MA_CSKCB): the signing target and the facility of every record it lists. */
  readonly code: string;
  /** The source's GraphQL endpoint. */
  readonly url: string;
  /** The source's signing secret (docs/architecture.md §6). */
  readonly secret: string;
  readonly timeoutMs?: number;
  /**
   * The client certificate and CA for an https source that requires mutual TLS, as the gateway's
   * config gives them for this source (`tls`, else `sourceTls`; docs/security.md).
   */
  readonly tls?: ClientTls;
}

/** What a source answered: the HTTP status and the parsed JSON body (null when it was not JSON). */
export interface SourceAnswer {
  readonly status: number;
  readonly json: unknown;
}

/**
 * POSTs a GraphQL body to a source, signed for it as the gateway signs (no principal: the index
 * asks for itself), through the one source client (core/http/SourceClient.ts: deadline, streamed
 * size cap, mutual TLS when `tls` is given). The index's calls are rare batch reads, so the client
 * lives for one call. Throws the client's SourceCallError when there is no answer.
 */
export async function postSignedToSource(source: FeedSource, body: string): Promise<SourceAnswer> {
  const client = new SourceClient({ url: source.url, deadlineMs: source.timeoutMs ?? 30_000, breaker: null, ...(source.tls ? { tls: source.tls } : {}) });
  try {
    return await client.post(
      () => ({
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          ...signRequest({ secret: source.secret, method: 'POST', target: source.code, body, principal: null, timestampMs: Date.now(), nonce: generateNonce() }),
        },
        body,
      }),
      (reply) => ({ status: reply.status, json: parseJson(reply.body) }),
      { idempotent: false, isFailure: () => false },
    );
  } finally {
    await client.close();
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
