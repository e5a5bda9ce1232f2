/**
 * Something wrong in a QĐ 130 file, reported instead of thrown: per file (no `maLk`) or per HOSO
 * (`maLk` when the HOSO's XML1 gave one, `table` when one inner document is at fault). Reasons
 * name fields and limits, never the values of identifiers or names.
 */
export interface Xml130Problem {
  readonly maLk?: string;
  readonly table?: string;
  readonly reason: string;
}
