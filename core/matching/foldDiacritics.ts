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

/** Tone marks (dấu thanh): huyền, sắc, ngã, hỏi, nặng. The other marks shape the vowel (â ă ơ) or đ. */
const TONE_MARKS = '\u0300\u0301\u0303\u0309\u0323';

/** Which kinds of diacritics a writer used somewhere in a name. */
export interface DiacriticUse {
  readonly tones: boolean;
  readonly vowelMarks: boolean;
}

export function diacriticUseOf(words: readonly FoldedWord[]): DiacriticUse {
  const all = words.flatMap((w) => w.marks).join('');
  return { tones: [...all].some(isTone), vowelMarks: [...all].some((c) => !isTone(c)) };
}

/**
 * Same base letters, and at every letter one side's marks are contained in the other's, and every
 * mark missing on one side is of a kind that side never wrote anywhere in the name: the same word
 * written with fewer diacritics ("Nguyen"/"Nguyên"/"Nguyễn" from a keyboard without tones).
 * Different marks on one letter ("Hùng"/"Hưng"), or a missing tone in a name written with tones
 * ("Nguyễn Thị Anh"/"Nguyễn Thị Ánh"), is a different word.
 */
export function diacriticsCompatible(a: FoldedWord, b: FoldedWord, aUses: DiacriticUse, bUses: DiacriticUse): boolean {
  if (a.base !== b.base) return false;
  return a.marks.every((ma, i) => {
    const mb = b.marks[i] ?? '';
    if (contains(mb, ma)) return canOmit(missing(mb, ma), aUses);
    if (contains(ma, mb)) return canOmit(missing(ma, mb), bUses);
    return false;
  });
}

function isTone(mark: string): boolean {
  return TONE_MARKS.includes(mark);
}

function missing(outer: string, inner: string): string[] {
  return [...outer].filter((c) => !inner.includes(c));
}

function canOmit(marks: readonly string[], uses: DiacriticUse): boolean {
  return marks.every((c) => (isTone(c) ? !uses.tones : !uses.vowelMarks));
}

function contains(outer: string, inner: string): boolean {
  return [...inner].every((c) => outer.includes(c));
}
