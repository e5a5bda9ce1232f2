/**
 * Replaces runs of two or more capitalized words (a person's name: "Nguyễn Văn An", in any script
 * Unicode calls upper/lower case) with `[name]`. For free text the project does not write itself —
 * a source's error message — before it goes into a log line; `redactPhi` (logger.ts) already
 * scrubs identifier-shaped numbers. A sentence that starts "Cannot Read" loses those two words:
 * the log keeps the rest, and the source's own log has the whole text.
 */
export function redactNames(text: string): string {
  return text.replace(/\p{Lu}[\p{L}\p{M}]*(?:[ \t]+\p{Lu}[\p{L}\p{M}]*)+/gu, '[name]');
}
