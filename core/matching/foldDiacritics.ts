/**
 * A Vietnamese word split into its base letters (diacritics removed, đ → d, lower case) and, per
 * letter, the marks it carried. Comparing the marks letter by letter tells "written without
 * diacritics" (one side carries a subset of the other's marks) from "a different word" (both
 * carry marks and they differ: Hùng ≠ Hưng).
 */
export interface FoldedWord {
  readonly base: string;
  /** One string of combining marks per base letter ('' for none); đ carries 'đ'. */
  readonly marks: readonly string[];
}

const COMBINING = /[\u0300-\u036f]/;

export function foldWord(word: string): FoldedWord {
  let base = '';
  const marks: string[] = [];
  for (const char of word.normalize('NFD').toLowerCase()) {
    if (COMBINING.test(char)) {
      if (marks.length > 0) marks[marks.length - 1] += char;
      continue;
    }
    if (char === 'đ') {
      base += 'd';
      marks.push('đ');
    } else {
      base += char;
      marks.push('');
    }
  }
  // Sort each letter's marks so NFD orderings of the same letter compare equal.
  return { base, marks: marks.map((m) => [...m].sort().join('')) };
}

/** True when the word carries no diacritic at all (typed without them, or a name like "An"). */
export function isBare(word: FoldedWord): boolean {
  return word.marks.every((m) => m === '');
}

/**
 * Same base letters, and at every letter one side's marks are contained in the other's: the words
 * are the same word written with fewer diacritics ("Nguyen"/"Nguyên"/"Nguyễn"). Both sides
 * carrying different marks on one letter ("Hùng"/"Hưng") is a different word.
 */
export function diacriticsCompatible(a: FoldedWord, b: FoldedWord): boolean {
  if (a.base !== b.base) return false;
  return a.marks.every((ma, i) => {
    const mb = b.marks[i] ?? '';
    return contains(ma, mb) || contains(mb, ma);
  });
}

function contains(outer: string, inner: string): boolean {
  return [...inner].every((c) => outer.includes(c));
}
