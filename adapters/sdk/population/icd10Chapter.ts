/**
 * ICD-10 (WHO 2019) chapters by the range of three-character categories they hold; the Ministry
 * of Health's ICD-10 list (QĐ 4469/QĐ-BYT) keeps the same chapters. Chapter XXII (U) holds codes
 * for special purposes.
 */
const CHAPTERS: readonly (readonly [first: string, last: string, chapter: string])[] = [
  ['A00', 'B99', 'I'],
  ['C00', 'D48', 'II'],
  ['D50', 'D89', 'III'],
  ['E00', 'E90', 'IV'],
  ['F00', 'F99', 'V'],
  ['G00', 'G99', 'VI'],
  ['H00', 'H59', 'VII'],
  ['H60', 'H95', 'VIII'],
  ['I00', 'I99', 'IX'],
  ['J00', 'J99', 'X'],
  ['K00', 'K93', 'XI'],
  ['L00', 'L99', 'XII'],
  ['M00', 'M99', 'XIII'],
  ['N00', 'N99', 'XIV'],
  ['O00', 'O99', 'XV'],
  ['P00', 'P96', 'XVI'],
  ['Q00', 'Q99', 'XVII'],
  ['R00', 'R99', 'XVIII'],
  ['S00', 'T98', 'XIX'],
  ['V01', 'Y98', 'XX'],
  ['Z00', 'Z99', 'XXI'],
  ['U00', 'U99', 'XXII'],
];

/** The three-character category of a code (`E11.9` → `E11`), or null when it is not ICD-10-shaped. */
export function icd10Category(code: string): string | null {
  const match = /^([A-Z]\d{2})/.exec(code.trim().toUpperCase());
  return match?.[1] ?? null;
}

/** The chapter (Roman numeral) of an ICD-10 code, or null when the code is outside every chapter. */
export function icd10Chapter(code: string): string | null {
  const category = icd10Category(code);
  if (category === null) return null;
  const found = CHAPTERS.find(([first, last]) => category >= first && category <= last);
  return found ? found[2] : null;
}
