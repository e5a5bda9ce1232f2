/**
 * Size limits of the reader: a hostile or broken file costs at most these, never the whole memory.
 * Text limits count characters of the decoded text (equal to bytes for the ASCII of Base64).
 */
export interface Xml130Limits {
  /** A larger file is not read at all (one problem for the file). */
  readonly maxFileBytes: number;
  /**
   * Budget of one HOSO (all its NOIDUNGFILE text together); memory use is bounded by about twice
   * this. A single text larger than this stops the file: the reader can no longer skip it safely.
   */
  readonly maxHosoBytes: number;
  /** One decoded inner table document (the XML inside NOIDUNGFILE). */
  readonly maxInnerDocumentBytes: number;
  /** One text node of an inner document or of the envelope (other than NOIDUNGFILE). */
  readonly maxTextBytes: number;
}

const MIB = 1024 * 1024;

export const DEFAULT_XML130_LIMITS: Xml130Limits = {
  maxFileBytes: 256 * MIB,
  maxHosoBytes: 32 * MIB,
  maxInnerDocumentBytes: 16 * MIB,
  maxTextBytes: 1 * MIB,
};

/** Deepest element nesting accepted (the envelope plus an inner table needs fewer than 12). */
export const MAX_ELEMENT_DEPTH = 48;

/** Throws a RangeError for limits no reader could use (call at construction to fail fast). */
export function checkXml130Limits(limits: Xml130Limits): void {
  for (const [key, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`xml130 limit ${key} must be a positive whole number`);
  }
}
