/**
 * Normalizes a Vietnamese personal name for matching: Unicode NFC → strip diacritics (đ → d),
 * lower case, collapse spacing. The result keeps word order; use `nameTokensKey` when the same
 * name may be written given-name first (foreign systems) and family-name first (Vietnamese).
 */
export function normalizeVietnameseName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9\s'-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Order-insensitive key of a name: its normalized words, sorted. */
export function nameTokensKey(name: string): string {
  return normalizeVietnameseName(name).split(' ').filter(Boolean).sort().join(' ');
}
