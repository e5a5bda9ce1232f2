/**
 * The Fellegi–Sunter weights of the matcher, in one place (docs/identity.md explains them).
 * For each field and agreement level: m = P(level | same person), u = P(level | different people);
 * the level contributes log2(m / u) bits to the pair's score. Values are documented fixed
 * estimates (not fitted to the demo population, so a labelled set from elsewhere scores the same
 * rules): u from how often two different people agree by chance, m from how often one person's two
 * records show that difference (front-desk typing, year-only birth dates, moves).
 * Name words use frequency-dependent u (core/matching/nameFrequencies.ts).
 */
export interface LevelWeight {
  readonly m: number;
  readonly u: number;
}

export const NAME_WEIGHTS = {
  /** Same word, same diacritics: u = the word's frequency. */
  exact: { m: 0.9 },
  /** Same word, one side written with fewer diacritics: folded forms collide about twice as often. */
  bare: { m: 0.9, uFactor: 2 },
  /** One edit apart (letters without diacritics, the longer ≥ 4 letters, not two known given names). */
  typo: { m: 0.03, u: 0.02 },
  /** Same letters, different diacritics on both sides (Hùng / Hưng): a different word. */
  conflict: { m: 0.005, u: 0.05 },
  disagree: { m: 0.02 },
  /** Middle name present on one side only (often dropped at registration). */
  middleMissing: { m: 0.05, u: 0.05 },
  /** Names equal only in another word order (given name first, family name last). */
  reordered: { m: 0.05, u: 0.1 },
} as const;

export const BIRTH_DATE_WEIGHTS = {
  exact: { m: 0.85, u: 1 / (365 * 70) },
  /** One side knows only the year (QĐ 130: day and month 00), same year. */
  yearOnly: { m: 0.05, u: 1 / 70 },
  /** Day and month swapped (DD/MM vs MM/DD). */
  swapped: { m: 0.02, u: 1 / (365 * 70) },
  /** One digit of YYYYMMDD differs. */
  oneDigit: { m: 0.04, u: 8e-4 },
  /** Full dates in the same year, day and month both different. */
  sameYear: { m: 0.002, u: 1 / 70 },
  disagree: { m: 0.03, u: 0.98 },
} as const satisfies Record<string, LevelWeight>;

export const GENDER_WEIGHTS = {
  agree: { m: 0.97, u: 0.5 },
  disagree: { m: 0.01, u: 0.5 },
} as const satisfies Record<string, LevelWeight>;

/** u: the two largest cities hold about a fifth of the people; 0.1 over the 63 provinces. */
export const PROVINCE_WEIGHTS = {
  agree: { m: 0.9, u: 0.1 },
  disagree: { m: 0.1, u: 0.9 },
} as const satisfies Record<string, LevelWeight>;

/** u counts households: relatives share an address and a phone far more than strangers. */
export const ADDRESS_WEIGHTS = {
  agree: { m: 0.6, u: 0.01 },
  partial: { m: 0.2, u: 0.05 },
  disagree: { m: 0.2, u: 0.94 },
} as const satisfies Record<string, LevelWeight>;

export const PHONE_WEIGHTS = {
  agree: { m: 0.7, u: 0.002 },
  disagree: { m: 0.3, u: 0.998 },
} as const satisfies Record<string, LevelWeight>;

/** Two different BHXH codes: one person keeps one code for life, so only a typing error explains it. */
export const INSURANCE_WEIGHTS = {
  disagree: { m: 0.002, u: 1 },
} as const satisfies Record<string, LevelWeight>;

/**
 * Decision thresholds on the score (bits). The posterior confidence is
 * 1 / (1 + 2^(POSSIBLE − score)): 0.5 at the POSSIBLE threshold, 0.98 at the MATCH threshold.
 */
export const THRESHOLDS = { possible: 12, match: 18 } as const;

export function weightOf(level: LevelWeight): number {
  return Math.log2(level.m / level.u);
}
