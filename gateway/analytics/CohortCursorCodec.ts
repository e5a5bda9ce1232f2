import { hkdfSync, randomBytes } from 'node:crypto';
import { openSealedText, sealText, SEALING_KEY_BYTES as KEY_BYTES } from '../../core/crypto/sealedText';
import { PatientGraphError } from '../../core/errors/PatientGraphError';
import { COHORT_KEY_BYTES } from './cohortPseudonym';
/** Longer than any honest cursor of a network of a few hundred sources; refused before decryption. */
const MAX_CURSOR_CHARS = 16_384;
/**
 * HKDF-SHA256 info (RFC 5869 §3.2) of the sealing key derived from `analytics.cursorKey`: names its
 * one purpose, so the same secret given for another use would still yield an unrelated key.
 */
export const COHORT_CURSOR_KEY_INFO = 'patient-graph cohort cursor sealing key v1';
/** Shortest `analytics.cursorKey` accepted, in bytes (as many as the AES-256 key it yields). */
export const COHORT_CURSOR_SECRET_MIN_BYTES = 32;

/** Where a cohort question stands after one page. */
export interface CohortCursor {
  /** SHA-256 (hex) of the question's canonical filters: a cursor only continues its own question. */
  readonly question: string;
  /** The question's pseudonym key (random per question); null when the project's key is used. */
  readonly pseudonymKey: Buffer | null;
  /**
   * Each source's place, by facility code: the source's own opaque position (its `after`), null
   * when it has not been read yet, `done` when it has nothing more.
   */
  readonly places: Readonly<Record<string, string | null>>;
  readonly done: readonly string[];
}

/**
 * Opaque cursors of de-identified cohort rows (docs/analytics.md, "Cohort rows"), sealed with
 * AES-256-GCM like the patient index's (subgraphs/identity/PatientCursorCodec.ts): the client can
 * neither read the per-question pseudonym key or the sources' places inside, nor forge or alter a
 * cursor — any change fails authentication and is `BAD_USER_INPUT` (400). The key is random per
 * gateway process unless one is derived from `analytics.cursorKey` (`fromSecret`): then every
 * replica given that secret continues the others' cursors, across restarts.
 */
export class CohortCursorCodec {
  private readonly key: Buffer;

  constructor(key: Buffer = randomBytes(KEY_BYTES)) {
    if (key.length !== KEY_BYTES) throw new RangeError(`CohortCursorCodec: the key must be ${KEY_BYTES} bytes`);
    this.key = key;
  }

  /**
   * The codec of a secret shared by the gateway's replicas: its AES-256 key is HKDF-SHA256 of the
   * secret (no salt: the secret is already random) with COHORT_CURSOR_KEY_INFO.
   */
  static fromSecret(secret: string): CohortCursorCodec {
    if (Buffer.byteLength(secret, 'utf8') < COHORT_CURSOR_SECRET_MIN_BYTES) throw new RangeError(`CohortCursorCodec: the secret must be at least ${COHORT_CURSOR_SECRET_MIN_BYTES} bytes`);
    return new CohortCursorCodec(Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), COHORT_CURSOR_KEY_INFO, KEY_BYTES)));
  }

  seal(cursor: CohortCursor): string {
    const payload = JSON.stringify({
      v: 1,
      q: cursor.question,
      k: cursor.pseudonymKey === null ? null : cursor.pseudonymKey.toString('base64'),
      p: cursor.places,
      d: cursor.done,
    });
    return sealText(this.key, payload);
  }

  /** The cursor, if it was sealed by this codec for this question; otherwise BAD_USER_INPUT. */
  open(text: string, question: string): CohortCursor {
    if (text.length > MAX_CURSOR_CHARS || !/^[A-Za-z0-9_-]+$/.test(text)) throw invalidCursor();
    const opened = openSealedText(this.key, text);
    if (opened === null) throw invalidCursor();
    let payload: unknown;
    try {
      payload = JSON.parse(opened);
    } catch {
      throw invalidCursor();
    }
    const cursor = cursorOf(payload);
    // Authentic, but of another question: continuing it would mix two cohorts' places and keys.
    if (cursor === null || cursor.question !== question) throw invalidCursor();
    return cursor;
  }
}

function cursorOf(payload: unknown): CohortCursor | null {
  if (payload === null || typeof payload !== 'object') return null;
  const { v, q, k, p, d } = payload as Record<string, unknown>;
  if (v !== 1 || typeof q !== 'string' || (k !== null && typeof k !== 'string')) return null;
  if (p === null || typeof p !== 'object' || Array.isArray(p)) return null;
  if (!Object.values(p).every((place) => place === null || typeof place === 'string')) return null;
  if (!Array.isArray(d) || !d.every((code) => typeof code === 'string')) return null;
  const pseudonymKey = k === null ? null : Buffer.from(k, 'base64');
  if (pseudonymKey !== null && pseudonymKey.length !== COHORT_KEY_BYTES) return null;
  return { question: q, pseudonymKey, places: p as Record<string, string | null>, done: d };
}

function invalidCursor(): PatientGraphError {
  return new PatientGraphError('BAD_USER_INPUT', '"after" is not a cursor of this cohort question (a cursor continues only at a gateway with the key that sealed it)');
}
