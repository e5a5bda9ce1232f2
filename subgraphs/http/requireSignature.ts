import type { Logger } from '../../core/logging/logger';
import { ReplayGuard, type NonceStore, type ReplayVerdict } from '../../core/security/ReplayGuard';
import { assertSigningSecret, verifyRequest, type InvalidSignatureReason, type SignedPrincipal } from '../../core/security/requestSignature';
import type { Authenticate, AuthenticationResult } from './createHttpHandler';

/** How a subgraph checks that requests come from its gateway (docs/architecture.md §6). */
export interface SubgraphSigning {
  /** Shared with the gateway's `RegisteredSource.secret`; at least 32 bytes. */
  readonly secret: string;
  /** What this subgraph serves: its facility code, or `identity` / `insurance`. */
  readonly target: string;
  /** Allowed distance of a request's timestamp from this server's clock. Default 5 minutes. */
  readonly maxSkewMs?: number;
  /** Bound on the nonces remembered against replays (see `ReplayGuard`). */
  readonly maxRememberedNonces?: number;
  /**
   * The secret being replaced during a rotation: accepted too until it is removed, so the gateway
   * can switch to the new secret with no refused request (two accepted during a change).
   */
  readonly previousSecret?: string;
  /** Nonces shared by the replicas of this source (a `RedisNonceStore`); default: this process only. */
  readonly nonceStore?: NonceStore;
}

/** What a subgraph's context factory learns about a request from its edge. */
export interface SubgraphRequestFacts {
  /** The principal the gateway vouched for in the signed part; null for requests without one. */
  readonly principal: SignedPrincipal | null;
}

/**
 * Five minutes: server clocks kept by NTP are far closer, and the nonces the replay guard must
 * remember grow with the window (the same tolerance Stripe and Slack use for signed webhooks).
 */
export const DEFAULT_MAX_SKEW_MS = 5 * 60_000;

const CHALLENGE = 'PG-HMAC-SHA256 version="v1"';

/**
 * The subgraph edge's authentication hook: every request must be a POST signed for this target
 * with this secret, inside the timestamp window, with a nonce not seen before. The caller learns
 * only missing / invalid / stale / replayed; the precise reason goes to the log.
 */
export function requireSignature(signing: SubgraphSigning, logger: Logger, now: () => number = Date.now): Authenticate<SubgraphRequestFacts> {
  assertSigningSecret(signing.secret);
  if (signing.target.length === 0) throw new Error('requireSignature: the signing target (facility code, identity or insurance) is empty');
  const maxSkewMs = signing.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  if (signing.previousSecret !== undefined) assertSigningSecret(signing.previousSecret);
  const replays: NonceStore =
    signing.nonceStore ??
    new ReplayGuard({
      windowMs: maxSkewMs,
      ...(signing.maxRememberedNonces !== undefined ? { maxEntries: signing.maxRememberedNonces } : {}),
    });

  return async ({ method, headers, rawBody }) => {
    // The signature covers the body, not the URL: a signed GET could carry any query in its URL.
    if (method !== 'POST') return refuse(logger, 'not-post', 'Signed requests must be POST (the signature covers the body).');
    const nowMs = now();
    const verify = (secret: string) => verifyRequest({ secret, expectedTarget: signing.target, method, headers, body: rawBody, nowMs, maxSkewMs });
    let verdict = verify(signing.secret);
    if (verdict.kind === 'invalid' && verdict.reason === 'bad-signature' && signing.previousSecret !== undefined) verdict = verify(signing.previousSecret);
    if (verdict.kind === 'invalid') return refuse(logger, verdict.reason, messageFor(verdict.reason));
    const replay = await replays.check(verdict.nonce, verdict.timestampMs, nowMs);
    if (replay !== 'fresh') return refuse(logger, replay, messageFor(replay));
    return { kind: 'allowed', facts: { principal: verdict.principal } };
  };
}

type RefusalReason = InvalidSignatureReason | Exclude<ReplayVerdict, 'fresh'> | 'not-post';

function messageFor(reason: Exclude<RefusalReason, 'not-post'>): string {
  switch (reason) {
    case 'missing':
      return 'Missing request signature: this source answers only its gateway.';
    case 'malformed':
    case 'bad-signature':
    case 'wrong-target':
      return 'Invalid request signature.';
    case 'stale':
      return 'Stale request signature: the timestamp is outside the allowed window.';
    case 'replayed':
      return 'Replayed request signature: this request was already received.';
    case 'at-capacity':
      return 'The request could not be checked against replays; retry shortly.';
  }
}

function refuse(logger: Logger, reason: RefusalReason, message: string): AuthenticationResult<SubgraphRequestFacts> {
  if (reason === 'at-capacity') logger.error('subgraph.replay_guard_full', { reason });
  else logger.warn('subgraph.request_refused', { reason });
  return { kind: 'denied', status: 401, code: 'UNAUTHENTICATED', message, challenge: CHALLENGE };
}
