/** An OR-list split to fit in URLs. */
export interface SearchValueChunks {
  readonly chunks: readonly (readonly string[])[];
  /** Values that fit in no URL at all (no real identifier is that long); they are left out. */
  readonly skipped: number;
}

/** `,` between OR-ed values, URL-encoded (`%2C`). */
const SEPARATOR_LENGTH = 3;

/** Length of a search value once URL-encoded, as the search client encodes it. */
export function encodedLength(value: string): number {
  return encodeURIComponent(value).length;
}

/**
 * Splits the values of one OR-list parameter (`name=v1,v2,…`, search.html#combining) into chunks
 * whose URLs stay within `maxUrlLength` characters, given the length of the rest of the URL.
 * Greedy and order-preserving: the number of chunks depends only on the values' encoded lengths,
 * so for ids of a fixed shape it is fixed by the batch size (⌈total length / room⌉) — constant
 * per batch size, though not per batch. Duplicates are dropped first.
 */
export function chunkSearchValues(values: readonly string[], fixedLength: number, maxUrlLength: number): SearchValueChunks {
  const room = maxUrlLength - fixedLength;
  const chunks: string[][] = [];
  let current: string[] = [];
  let used = 0;
  let skipped = 0;
  for (const value of new Set(values)) {
    const length = encodedLength(value);
    if (length > room) {
      skipped += 1;
      continue;
    }
    if (current.length > 0 && used + SEPARATOR_LENGTH + length > room) {
      chunks.push(current);
      current = [];
      used = 0;
    }
    used += (current.length > 0 ? SEPARATOR_LENGTH : 0) + length;
    current.push(value);
  }
  if (current.length > 0) chunks.push(current);
  return { chunks, skipped };
}
