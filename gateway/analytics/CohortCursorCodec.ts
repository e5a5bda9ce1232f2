import { randomBytes } from 'node:crypto';
import { openSealedText, sealText, SEALING_KEY_BYTES as KEY_BYTES } from '../../core/crypto/sealedText';
import { PatientGraphError } from '../../core/errors/PatientGraphError';
import { COHORT_KEY_BYTES } from './cohortPseudonym';
/** Longer than any honest cursor of a network of a few hundred sources; refused before decryption. */
const MAX_CURSOR_CHARS = 16_384;

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
 * gateway process unless replicas are given one.
 */
export class CohortCursorCodec {
  private readonly key: Buffer;

  constructor(key: Buffer = randomBytes(KEY_BYTES)) {
    if (key.length !== KEY_BYTES) throw new RangeError(`CohortCursorCodec: the key must be ${KEY_BYTES} bytes`);
    this.key = key;
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
  return new PatientGraphError('BAD_USER_INPUT', '"after" is not a cursor of this cohort question (cursors expire when the gateway restarts)');
}
