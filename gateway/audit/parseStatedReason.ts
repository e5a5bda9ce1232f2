/** Visible characters a stated reason must hold (letters and digits of any script). */
export const MIN_REASON_VISIBLE = 10;
export const MAX_REASON_VISIBLE = 500;
/**
 * Characters in all, after whitespace runs are collapsed: 500 visible characters with the spaces
 * and punctuation of ordinary prose fit; a page of padding does not. It also keeps the stored
 * reason within what an audit record may hold (`findAuditEntryProblem`).
 */
export const MAX_REASON_LENGTH = 1000;

export type ParsedReason =
  | { readonly kind: 'valid'; readonly reason: string; readonly visible: number }
  | { readonly kind: 'invalid'; readonly problem: string };

/** Letters and digits in any script (Unicode general categories L and N). */
const VISIBLE = /[\p{L}\p{N}]/gu;
/** Control (Cc) and format (Cf: zero-width spaces, joiners, direction marks) characters. */
const INVISIBLE = /[\p{Cc}\p{Cf}]/u;

/**
 * A reason a person states for the audit trail (breaking the glass, acknowledging lost records),
 * checked before anything is written. An auditor must be able to read it, so it counts only what
 * a reader sees: 11 zero-width spaces or NULs are no reason. Whitespace runs (tabs, line breaks
 * of a form) become one space and the ends are trimmed; any remaining control or format character
 * is refused rather than stored, since it could hide or reorder text in an auditor's view. Pure;
 * messages name `what` and never quote the reason.
 */
export function parseStatedReason(raw: string, what: string): ParsedReason {
  const reason = raw.replace(/\s+/gu, ' ').trim();
  if (INVISIBLE.test(reason)) {
    return { kind: 'invalid', problem: `The ${what} must not contain control or invisible formatting characters.` };
  }
  const visible = reason.match(VISIBLE)?.length ?? 0;
  if (visible < MIN_REASON_VISIBLE || visible > MAX_REASON_VISIBLE) {
    return { kind: 'invalid', problem: `The ${what} must hold ${MIN_REASON_VISIBLE} to ${MAX_REASON_VISIBLE} letters or digits; it holds ${visible}.` };
  }
  if (reason.length > MAX_REASON_LENGTH) {
    return { kind: 'invalid', problem: `The ${what} must be at most ${MAX_REASON_LENGTH} characters long; it is ${reason.length}.` };
  }
  return { kind: 'valid', reason, visible };
}
