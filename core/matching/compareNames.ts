import { diacriticsCompatible, diacriticUseOf, foldWord, type DiacriticUse, type FoldedWord } from './foldDiacritics';
import { NAME_WEIGHTS, weightOf } from './matchWeights';
import { isKnownGivenName, nameFrequency, type NameRole } from './nameFrequencies';

/** How two words of a name compare, best first. */
export type WordLevel = 'exact' | 'bare' | 'typo' | 'conflict' | 'disagree';

export interface NameComparison {
  /** Sum of the word weights (bits). */
  readonly weight: number;
  readonly family: WordLevel;
  readonly given: WordLevel;
  /** Word order of the second name had to change to line up (given name first, family last). */
  readonly reordered: boolean;
  /** Given names are different words (including Hùng / Hưng): the pair may never match on demographics. */
  readonly givenDiffers: boolean;
}

/**
 * Compares two Vietnamese full names word by word: family name (first word), middle words, given
 * name (last word). Unicode form (NFC/NFD), case and spacing never matter; a word written with
 * fewer diacritics agrees less than the exact word; different diacritics on both sides make a
 * different word ("Hùng" ≠ "Hưng"). Agreement on a common word counts little (Nguyễn), on a rare
 * one more. The second name is also tried in foreign order (family name last, or fully reversed).
 */
export function compareNames(a: string, b: string): NameComparison {
  const left = wordsOf(a);
  const right = wordsOf(b);
  let best = compareInOrder(left, right, false);
  for (const order of alternativeOrders(right)) {
    const candidate = compareInOrder(left, order, true);
    if (candidate.weight > best.weight) best = candidate;
  }
  return best;
}

/** The words of a name, split on anything that is not a letter or an apostrophe. */
export function nameWords(name: string): string[] {
  return name.normalize('NFC').split(/[^\p{L}\p{M}']+/u).filter((w) => w !== '');
}

interface Word {
  readonly text: string;
  readonly folded: FoldedWord;
  /** The diacritics the writer of the whole name used. */
  readonly uses: DiacriticUse;
}

function wordsOf(name: string): Word[] {
  const folded = nameWords(name).map((w) => ({ text: w.toLowerCase(), folded: foldWord(w) }));
  const uses = diacriticUseOf(folded.map((w) => w.folded));
  return folded.map((w) => ({ ...w, uses }));
}

function alternativeOrders(words: readonly Word[]): Word[][] {
  if (words.length < 2) return [];
  const last = words[words.length - 1] as Word;
  const familyLast = [last, ...words.slice(0, -1)];
  const reversed = [...words].reverse();
  return words.length === 2 ? [reversed] : [familyLast, reversed];
}

function compareInOrder(a: readonly Word[], b: readonly Word[], reordered: boolean): NameComparison {
  if (a.length === 0 || b.length === 0) {
    return { weight: 0, family: 'disagree', given: 'disagree', reordered, givenDiffers: true };
  }
  const given = compareWord(a[a.length - 1] as Word, b[b.length - 1] as Word);
  let weight = weightFor('given', given, a[a.length - 1] as Word);
  let family: WordLevel = given;
  if (a.length > 1 && b.length > 1) {
    family = compareWord(a[0] as Word, b[0] as Word);
    weight += weightFor('family', family, a[0] as Word);
    weight += middleWeight(a.slice(1, -1), b.slice(1, -1));
  }
  if (reordered) weight += weightOf({ m: NAME_WEIGHTS.reordered.m, u: NAME_WEIGHTS.reordered.u });
  return { weight, family, given, reordered, givenDiffers: given === 'conflict' || given === 'disagree' };
}

function middleWeight(a: readonly Word[], b: readonly Word[]): number {
  if (a.length === 0 && b.length === 0) return 0;
  if (a.length === 0 || b.length === 0) return weightOf(NAME_WEIGHTS.middleMissing);
  let weight = 0;
  const count = Math.min(a.length, b.length);
  for (let i = 0; i < count; i++) {
    // Align from the end: the word next to the given name is the one most often kept.
    const wa = a[a.length - 1 - i] as Word;
    const wb = b[b.length - 1 - i] as Word;
    weight += weightFor('middle', compareWord(wa, wb), wa);
  }
  return a.length === b.length ? weight : weight + weightOf(NAME_WEIGHTS.middleMissing);
}

function compareWord(a: Word, b: Word): WordLevel {
  if (a.text === b.text || (a.folded.base === b.folded.base && sameMarks(a.folded, b.folded))) return 'exact';
  if (diacriticsCompatible(a.folded, b.folded, a.uses, b.uses)) return 'bare';
  if (a.folded.base === b.folded.base) return 'conflict';
  const x = a.folded.base;
  const y = b.folded.base;
  if (Math.max(x.length, y.length) >= 4 && withinOneEdit(x, y) && !(isKnownGivenName(x) && isKnownGivenName(y))) return 'typo';
  return 'disagree';
}

function weightFor(role: NameRole, level: WordLevel, word: Word): number {
  const frequency = nameFrequency(role, word.text);
  switch (level) {
    case 'exact':
      return weightOf({ m: NAME_WEIGHTS.exact.m, u: frequency });
    case 'bare':
      return weightOf({ m: NAME_WEIGHTS.bare.m, u: Math.min(1, frequency * NAME_WEIGHTS.bare.uFactor) });
    case 'typo':
      return weightOf(NAME_WEIGHTS.typo);
    case 'conflict':
      return weightOf(NAME_WEIGHTS.conflict);
    case 'disagree':
      return weightOf({ m: NAME_WEIGHTS.disagree.m, u: 1 - frequency });
  }
}

function sameMarks(a: FoldedWord, b: FoldedWord): boolean {
  return a.marks.length === b.marks.length && a.marks.every((m, i) => m === b.marks[i]);
}

/** One substitution, insertion, deletion or swap of two neighbouring letters (Damerau). */
function withinOneEdit(x: string, y: string): boolean {
  if (x === y) return true;
  if (Math.abs(x.length - y.length) > 1) return false;
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  if (x.length === y.length) {
    if (x.slice(i + 1) === y.slice(i + 1)) return true;
    return x[i] === y[i + 1] && x[i + 1] === y[i] && x.slice(i + 2) === y.slice(i + 2);
  }
  return x.length > y.length ? x.slice(i + 1) === y.slice(i) : x.slice(i) === y.slice(i + 1);
}
