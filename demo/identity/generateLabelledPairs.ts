import type { MatchGender, MatchRecord } from '../../core/matching/MatchRecord';
import type { MatchPair } from '../../core/matching/parseMatchPair';
import { DEMO_FACILITIES, DEMO_SEED, generatePopulation } from '../population/generatePopulation';
import { createRandom, type Random } from '../population/random';
import type { SyntheticPerson } from '../population/types';
import { GIVEN_NAMES_FEMALE, GIVEN_NAMES_MALE } from '../population/vietnameseNames';

/** What went wrong between two records of one person, or what makes two people look alike. */
export const MATCH_ERROR_TYPES = [
  'exact', 'no-diacritics', 'partial-diacritics', 'wrong-diacritics', 'case-spacing-nfd', 'name-order', 'typo',
  'year-only', 'day-month-swapped', 'one-digit-off', 'card-group-change', 'national-id', 'diacritics-and-date-typo',
  'sparse-year-only', 'moved-province',
] as const;
export const NON_MATCH_TYPES = ['twins', 'twins-diacritics', 'same-name-year-province', 'same-block'] as const;
export type PairType = (typeof MATCH_ERROR_TYPES)[number] | (typeof NON_MATCH_TYPES)[number];

export interface PairLabel {
  readonly id: string;
  readonly match: boolean;
  readonly type: PairType;
}

export interface LabelledPairs {
  readonly pairs: readonly MatchPair[];
  readonly labels: readonly PairLabel[];
}

export interface LabelledPairOptions {
  readonly seed?: number;
  /** Pairs of each type. */
  readonly perType?: number;
}

/**
 * A labelled pair set from the synthetic demo population (docs/style.md §9: synthetic people only):
 * side `a` is a person as the patient index holds them, side `b` the same person as a hospital
 * typed them with one error of a known type, or a different person who looks alike (twins sharing
 * a household, the same name and birth year in the same province, a candidate from the same
 * blocking key). Deterministic for a seed, so the committed fixture can be regenerated.
 */
export function generateLabelledPairs(options: LabelledPairOptions = {}): LabelledPairs {
  const perType = options.perType ?? 100;
  const random = createRandom(options.seed ?? DEMO_SEED + 12);
  const people = generatePopulation({ seed: options.seed ?? DEMO_SEED, size: perType * 12, facilities: DEMO_FACILITIES }).people;
  const made: { type: PairType; match: boolean; a: MatchRecord; b: MatchRecord }[] = [];
  const add = (type: PairType, match: boolean, a: MatchRecord, b: MatchRecord): void => {
    made.push({ type, match, a: withoutBlanks(a), b: withoutBlanks(b) });
  };
  const records = people.map((person) => indexRecordOf(random, person));
  for (const type of MATCH_ERROR_TYPES) {
    let count = 0;
    for (const i of random.shuffle(people.map((_, k) => k))) {
      if (count === perType) break;
      const b = sourceRecordOf(random, type, people[i] as SyntheticPerson, records[i] as MatchRecord);
      if (b === undefined) continue;
      add(type, true, withoutIdentifiers(records[i] as MatchRecord, type), b);
      count++;
    }
  }
  for (const type of NON_MATCH_TYPES) {
    let count = 0;
    for (const i of random.shuffle(people.map((_, k) => k))) {
      if (count === perType) break;
      const b = lookAlikeOf(random, type, records[i] as MatchRecord, i, records);
      if (b === undefined) continue;
      add(type, false, withoutIdentifiers(records[i] as MatchRecord, 'exact'), b);
      count++;
    }
  }
  // Shuffled, so neither the position nor the id of a pair tells its label.
  const shuffled = random.shuffle(made);
  const id = (k: number): string => `p${String(k + 1).padStart(5, '0')}`;
  return {
    pairs: shuffled.map((p, k) => ({ id: id(k), a: p.a, b: p.b })),
    labels: shuffled.map((p, k) => ({ id: id(k), match: p.match, type: p.type })),
  };
}

/** Absent fields are left out rather than written as null (the pair file format of docs/identity.md). */
function withoutBlanks(record: MatchRecord): MatchRecord {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== null && v !== undefined)) as unknown as MatchRecord;
}

/** The index's view: clean demographics, a phone for most people. */
function indexRecordOf(random: Random, person: SyntheticPerson): MatchRecord {
  return {
    nationalId: person.nationalId,
    insuranceNumber: person.insuranceNumber,
    fullName: person.name.full,
    birthDate: person.birthDate,
    gender: person.gender.toLowerCase() as MatchGender,
    province: person.nationalId.slice(1, 3),
    address: person.address ?? null,
    phone: random.chance(0.6) ? `09${random.digits(8)}` : null,
  };
}

/** Only the identifier pairs carry identifiers: the rest test demographic matching. */
function withoutIdentifiers(record: MatchRecord, type: PairType): MatchRecord {
  if (type === 'national-id') return record;
  if (type === 'card-group-change') return { ...record, nationalId: null };
  return { ...record, nationalId: null, insuranceNumber: null };
}

/** A hospital's record of the same person with one error of `type`; undefined when it cannot apply. */
function sourceRecordOf(random: Random, type: (typeof MATCH_ERROR_TYPES)[number], person: SyntheticPerson, clean: MatchRecord): MatchRecord | undefined {
  const base = sourceContactOf(random, withoutIdentifiers(clean, 'exact'));
  const name = clean.fullName;
  const date = clean.birthDate as string;
  switch (type) {
    case 'exact':
      return base;
    case 'no-diacritics':
      return { ...base, fullName: random.chance(0.5) ? stripDiacritics(name).toUpperCase() : stripDiacritics(name) };
    case 'partial-diacritics':
      // Typed without tone marks (â ê ô ơ ư ă đ kept): "Nguyên Văn Hung".
      return changed(name, name.split(' ').map(stripTone).join(' '), base);
    case 'wrong-diacritics': {
      // A wrong tone on the family or middle name (a wrong tone on the given name is another name).
      const words = name.split(' ');
      const k = random.int(0, words.length - 2);
      const wrong = retone(random, words[k] as string);
      return wrong === undefined ? undefined : { ...base, fullName: [...words.slice(0, k), wrong, ...words.slice(k + 1)].join(' ') };
    }
    case 'case-spacing-nfd':
      return { ...base, fullName: `  ${name.toUpperCase().split(' ').join('   ')} `.normalize('NFD') };
    case 'name-order': {
      const words = name.split(' ');
      return { ...base, fullName: random.chance(0.5) ? [...words.slice(1), words[0]].join(' ') : stripDiacritics([...words].reverse().join(' ')) };
    }
    case 'typo':
      return changed(name, typo(random, name), base);
    case 'year-only':
      return { ...base, birthDate: random.chance(0.5) ? date.slice(0, 4) : `${date.slice(0, 4)}-00-00`.slice(0, 4) };
    case 'day-month-swapped': {
      const [y, m, d] = date.split('-') as [string, string, string];
      return Number(d) <= 12 && d !== m ? { ...base, birthDate: `${y}-${d}-${m}` } : undefined;
    }
    case 'one-digit-off':
      return withDate(base, oneDigitOff(random, date));
    case 'card-group-change': {
      if (person.insuranceNumber === null) return undefined;
      const group = person.insuranceNumber.startsWith('HT') ? 'DN4' : 'HT3';
      return { ...base, fullName: stripDiacritics(name), birthDate: date.slice(0, 4), insuranceNumber: `${group}${person.insuranceNumber.slice(3)}` };
    }
    case 'national-id':
      return { ...base, nationalId: clean.nationalId ?? null, fullName: stripDiacritics(name) };
    case 'diacritics-and-date-typo':
      return withDate({ ...base, fullName: stripDiacritics(name) }, oneDigitOff(random, date));
    case 'sparse-year-only':
      // A QĐ 130 record of an old visit: name, year of birth, gender, nothing else.
      return { fullName: name, birthDate: `${date.slice(0, 4)}`, gender: clean.gender ?? null };
    case 'moved-province': {
      const province = clean.province === '79' ? '01' : '79';
      return { ...base, province, address: null, phone: random.chance(0.3) ? clean.phone ?? null : null };
    }
  }
}

/** Contact fields as a hospital holds them: province mostly, address and phone sometimes. */
function sourceContactOf(random: Random, clean: MatchRecord): MatchRecord {
  return {
    ...clean,
    province: random.chance(0.85) ? clean.province ?? null : null,
    address: random.chance(0.5) ? clean.address ?? null : null,
    phone: random.chance(0.5) ? clean.phone ?? null : null,
  };
}

function lookAlikeOf(random: Random, type: (typeof NON_MATCH_TYPES)[number], a: MatchRecord, i: number, all: readonly MatchRecord[]): MatchRecord | undefined {
  const words = a.fullName.split(' ');
  const given = words[words.length - 1] as string;
  const givenNames = a.gender === 'female' ? GIVEN_NAMES_FEMALE : GIVEN_NAMES_MALE;
  switch (type) {
    case 'twins': {
      // Same household: family (often middle) name, birth date, address, phone; another given name.
      const other = random.pick(givenNames.filter((g) => g !== given));
      const gender: MatchGender = random.chance(0.5) ? (a.gender as MatchGender) : a.gender === 'male' ? 'female' : 'male';
      return { ...a, nationalId: null, insuranceNumber: null, fullName: [...words.slice(0, -1), other].join(' '), gender };
    }
    case 'twins-diacritics': {
      const sibling = DIACRITIC_SIBLINGS.get(given);
      return sibling === undefined ? undefined : { ...a, nationalId: null, insuranceNumber: null, fullName: [...words.slice(0, -1), sibling].join(' ') };
    }
    case 'same-name-year-province': {
      // Someone else with the same name, born the same year in the same province.
      const date = a.birthDate as string;
      const other = `${date.slice(0, 4)}-${pad(random.int(1, 12))}-${pad(random.int(1, 28))}`;
      const [, m, d] = date.split('-');
      const [, om, od] = other.split('-');
      if (m === om || d === od || (m === od && d === om)) return undefined;
      return { fullName: a.fullName, birthDate: other, gender: a.gender ?? null, province: a.province ?? null, phone: random.chance(0.3) ? `09${random.digits(8)}` : null };
    }
    case 'same-block': {
      // Another person of the demo sharing a blocking key (birth year and given name).
      const key = `${(a.birthDate as string).slice(0, 4)}|${stripDiacritics(given).toLowerCase()}`;
      const j = all.findIndex((r, k) => k !== i && `${(r.birthDate as string).slice(0, 4)}|${stripDiacritics(lastWord(r.fullName)).toLowerCase()}` === key);
      const other = all[j];
      return other === undefined ? undefined : { ...other, nationalId: null, insuranceNumber: null };
    }
  }
}

/**
 * Given names that differ only in diacritics, both written with marks (Hùng / Hưng): different
 * names, sometimes given to twins. (A name typed with no marks of that kind at all — "Lan" for
 * "Lân" — cannot be told apart from a record typed without diacritics; docs/identity.md.)
 */
const DIACRITIC_SIBLINGS: ReadonlyMap<string, string> = new Map([
  ['Hùng', 'Hưng'], ['Hưng', 'Hùng'], ['Thành', 'Thạnh'], ['Tâm', 'Tám'], ['Hà', 'Hạ'], ['Ánh', 'Ảnh'],
  ['Vĩnh', 'Vịnh'], ['Hải', 'Hài'], ['Hiền', 'Hiển'], ['Thảo', 'Thào'], ['Dũng', 'Dụng'], ['Tùng', 'Tụng'],
  ['Lộc', 'Lốc'], ['Việt', 'Viết'], ['Yến', 'Yễn'], ['Thủy', 'Thùy'], ['Hằng', 'Hẳng'], ['Thắng', 'Thằng'],
]);

function changed(before: string, after: string, base: MatchRecord): MatchRecord | undefined {
  return after === before ? undefined : { ...base, fullName: after };
}

function withDate(record: MatchRecord, date: string | undefined): MatchRecord | undefined {
  return date === undefined ? undefined : { ...record, birthDate: date };
}

function stripDiacritics(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
}

const TONES = ['\u0300', '\u0301', '\u0303', '\u0309', '\u0323'];

/** Drops the tone mark but keeps the vowel marks (â ê ô ơ ư ă): "Nguyễn" → "Nguyên". */
function stripTone(word: string): string {
  return [...word.normalize('NFD')].filter((c) => !TONES.includes(c)).join('').normalize('NFC');
}

/** Replaces the tone mark of a word with another: "Nguyễn" → "Nguyển". */
function retone(random: Random, word: string): string | undefined {
  const decomposed = [...word.normalize('NFD')];
  const at = decomposed.findIndex((c) => TONES.includes(c));
  if (at < 0) return undefined;
  decomposed[at] = random.pick(TONES.filter((t) => t !== decomposed[at]));
  return decomposed.join('').normalize('NFC');
}

/** One letter deleted, doubled, swapped with its neighbour or replaced, in a word of ≥ 4 letters. */
function typo(random: Random, name: string): string {
  const words = name.split(' ');
  const candidates = words.map((w, k) => [w, k] as const).filter(([w]) => stripDiacritics(w).length >= 4);
  if (candidates.length === 0) return name;
  const [word, k] = random.pick(candidates);
  const letters = [...word];
  const at = random.int(1, letters.length - 1);
  switch (random.int(0, 3)) {
    case 0: letters.splice(at, 1); break;
    case 1: letters.splice(at, 0, letters[at] as string); break;
    case 2: [letters[at - 1], letters[at]] = [letters[at] as string, letters[at - 1] as string]; break;
    default: letters[at] = random.pick(['n', 'h', 'g', 't', 'm']);
  }
  return [...words.slice(0, k), letters.join(''), ...words.slice(k + 1)].join(' ');
}

function oneDigitOff(random: Random, date: string): string | undefined {
  for (let attempt = 0; attempt < 10; attempt++) {
    const digits = date.replace(/-/g, '').split('');
    const at = random.pick([3, 5, 6, 7]);
    digits[at] = String((Number(digits[at]) + random.int(1, 9)) % 10);
    const text = `${digits.slice(0, 4).join('')}-${digits.slice(4, 6).join('')}-${digits.slice(6).join('')}`;
    const parsed = new Date(`${text}T00:00:00Z`);
    if (!Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(text) && text !== date) return text;
  }
  return undefined;
}

function lastWord(name: string): string {
  const words = name.split(' ');
  return words[words.length - 1] as string;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
