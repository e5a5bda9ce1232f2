import { parseStatedReason, type ParsedReason } from '../audit/parseStatedReason';

export { MAX_REASON_LENGTH, MAX_REASON_VISIBLE, MIN_REASON_VISIBLE } from '../audit/parseStatedReason';

/**
 * The reason a clinician gives for breaking the glass (docs/architecture.md §6): 10 to 500 letters
 * or digits in any script, no invisible characters (`parseStatedReason`, docs/audit.md).
 */
export function parseBreakTheGlassReason(raw: string): ParsedReason {
  return parseStatedReason(raw, 'break-the-glass reason');
}
