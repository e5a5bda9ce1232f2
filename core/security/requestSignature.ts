import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { isPurposeOfUse, isRole, type Principal } from './Principal';

/**
 * Signed requests between the gateway and its subgraphs (docs/architecture.md §6): HMAC-SHA256 with a
 * per-source secret over everything that decides what the subgraph does and for whom — method,
 * target facility, timestamp, nonce, the exact body bytes and the principal's facts. Pure: the
 * caller supplies the clock and the nonce, so the same inputs always give the same headers.
 */

/** The principal's facts a source needs (data minimization: no scopes, no token id). */
export type SignedPrincipal = Pick<Principal, 'sub' | 'role' | 'facilityCode' | 'purposeOfUse'>;

export const SIGNATURE_HEADERS = {
  timestamp: 'x-pg-timestamp',
  nonce: 'x-pg-nonce',
  target: 'x-pg-target',
  principal: 'x-pg-principal',
  signature: 'x-pg-signature',
} as const;

/** The headers a signed request carries (lower-case names, as Node reports them). */
export type SignatureHeaders = Readonly<Record<string, string>>;

/** HMAC-SHA256 keys shorter than its 32-byte output weaken it (RFC 2104 §3). */
export const MIN_SECRET_BYTES = 32;

const VERSION = 'v1';
const NONCE_PATTERN = /^[0-9a-f]{32}$/;
const TIMESTAMP_PATTERN = /^\d{1,15}$/;
const SIGNATURE_PATTERN = /^v1=([0-9a-f]{64})$/;

export interface SignRequestInput {
  readonly secret: string;
  readonly method: string;
  /** The facility code of the hospital, or `identity` / `insurance`. */
  readonly target: string;
  /** The exact bytes that will be sent (a string is sent as UTF-8). */
  readonly body: string | Uint8Array;
  /** Only the `SignedPrincipal` facts are sent, whatever else the object holds. */
  readonly principal: SignedPrincipal | null;
  readonly timestampMs: number;
  /** 128 random bits as 32 lower-case hex digits. */
  readonly nonce: string;
}

export function signRequest(input: SignRequestInput): SignatureHeaders {
  assertSigningSecret(input.secret);
  if (!NONCE_PATTERN.test(input.nonce)) throw new Error('signRequest: the nonce must be 128 random bits as 32 lower-case hex digits');
  if (!Number.isSafeInteger(input.timestampMs) || input.timestampMs < 0) throw new Error('signRequest: the timestamp must be whole milliseconds since the epoch');
  const timestamp = String(input.timestampMs);
  const principal = input.principal ? encodePrincipal(input.principal) : '';
  const mac = computeMac(input.secret, {
    method: input.method,
    target: input.target,
    timestamp,
    nonce: input.nonce,
    body: input.body,
    principal,
  });
  return {
    [SIGNATURE_HEADERS.timestamp]: timestamp,
    [SIGNATURE_HEADERS.nonce]: input.nonce,
    [SIGNATURE_HEADERS.target]: input.target,
    ...(principal ? { [SIGNATURE_HEADERS.principal]: principal } : {}),
    [SIGNATURE_HEADERS.signature]: `${VERSION}=${mac}`,
  };
}

export interface VerifyRequestInput {
  readonly secret: string;
  /** What this subgraph serves: a request signed for another facility is refused. */
  readonly expectedTarget: string;
  readonly method: string;
  /** Request headers as Node gives them (lower-case names). */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body: string | Uint8Array;
  readonly nowMs: number;
  /** How far the timestamp may be from `nowMs`, either way (clock skew + transit). */
  readonly maxSkewMs: number;
}

/**
 * Why a request was refused. Precise for the server log; the HTTP edge tells the caller only
 * missing / invalid / stale.
 */
export type InvalidSignatureReason = 'missing' | 'malformed' | 'bad-signature' | 'wrong-target' | 'stale';

export type SignatureVerdict =
  | {
      readonly kind: 'valid';
      readonly principal: SignedPrincipal | null;
      /** For the replay guard. */
      readonly nonce: string;
      readonly timestampMs: number;
    }
  | { readonly kind: 'invalid'; readonly reason: InvalidSignatureReason };

/**
 * Checks a request's signature. The MAC is checked before the target and the clock, so a caller
 * without the secret learns only "invalid", never which other check it would have failed.
 */
export function verifyRequest(input: VerifyRequestInput): SignatureVerdict {
  assertSigningSecret(input.secret);
  const header = (name: string): string | undefined | null => {
    const value = input.headers[name];
    if (value === undefined) return undefined;
    return typeof value === 'string' ? value : null; // repeated header: ambiguous, refused
  };
  const signature = header(SIGNATURE_HEADERS.signature);
  const timestamp = header(SIGNATURE_HEADERS.timestamp);
  const nonce = header(SIGNATURE_HEADERS.nonce);
  const target = header(SIGNATURE_HEADERS.target);
  const principalHeader = header(SIGNATURE_HEADERS.principal);
  if (signature === undefined && timestamp === undefined && nonce === undefined && target === undefined) {
    return invalid('missing');
  }
  const sent = typeof signature === 'string' ? SIGNATURE_PATTERN.exec(signature)?.[1] : undefined;
  if (
    sent === undefined ||
    typeof timestamp !== 'string' || !TIMESTAMP_PATTERN.test(timestamp) ||
    typeof nonce !== 'string' || !NONCE_PATTERN.test(nonce) ||
    typeof target !== 'string' || principalHeader === null
  ) {
    return invalid('malformed');
  }
  const principal = principalHeader ?? '';
  const expected = computeMac(input.secret, { method: input.method, target, timestamp, nonce, body: input.body, principal });
  if (!timingSafeEqual(Buffer.from(sent, 'hex'), Buffer.from(expected, 'hex'))) return invalid('bad-signature');
  if (target !== input.expectedTarget) return invalid('wrong-target');
  const timestampMs = Number(timestamp);
  if (Math.abs(input.nowMs - timestampMs) > input.maxSkewMs) return invalid('stale');
  if (principal === '') return { kind: 'valid', principal: null, nonce, timestampMs };
  const decoded = decodePrincipal(principal);
  return decoded ? { kind: 'valid', principal: decoded, nonce, timestampMs } : invalid('malformed');
}

/** Fails fast on a secret too short to key HMAC-SHA256 safely (a configuration mistake). */
export function assertSigningSecret(secret: string): void {
  if (typeof secret !== 'string' || Buffer.byteLength(secret, 'utf8') < MIN_SECRET_BYTES) {
    throw new Error(`a request-signing secret must be at least ${MIN_SECRET_BYTES} bytes (generate one with 32 random bytes)`);
  }
}

interface SignedParts {
  readonly method: string;
  readonly target: string;
  readonly timestamp: string;
  readonly nonce: string;
  readonly body: string | Uint8Array;
  readonly principal: string;
}

/** `v1\n<METHOD>\n<target>\n<timestamp>\n<nonce>\n<sha256 hex of body>\n<principal header or empty>` */
function computeMac(secret: string, parts: SignedParts): string {
  const bodyHash = createHash('sha256').update(parts.body).digest('hex');
  const canonical = [VERSION, parts.method.toUpperCase(), parts.target, parts.timestamp, parts.nonce, bodyHash, parts.principal].join('\n');
  return createHmac('sha256', secret).update(canonical, 'utf8').digest('hex');
}

function encodePrincipal(principal: SignedPrincipal): string {
  // Built field by field so nothing beyond the four facts (scopes, token id) leaves the gateway.
  const facts: SignedPrincipal = {
    sub: principal.sub,
    role: principal.role,
    facilityCode: principal.facilityCode,
    purposeOfUse: principal.purposeOfUse,
  };
  return Buffer.from(JSON.stringify(facts), 'utf8').toString('base64url');
}

function decodePrincipal(header: string): SignedPrincipal | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const { sub, role, facilityCode, purposeOfUse } = value as Record<string, unknown>;
  if (typeof sub !== 'string' || !isRole(role) || !isPurposeOfUse(purposeOfUse)) return undefined;
  if (facilityCode !== null && typeof facilityCode !== 'string') return undefined;
  return { sub, role, facilityCode, purposeOfUse };
}

function invalid(reason: InvalidSignatureReason): SignatureVerdict {
  return { kind: 'invalid', reason };
}
