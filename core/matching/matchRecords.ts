import { socialInsuranceNumberOf } from '../identifiers/insuranceNumber';
import { compareBirthDates, type BirthDateLevel } from './compareBirthDates';
import { compareNames } from './compareNames';
import type { MatchField, MatchGender, MatchRecord } from './MatchRecord';
import { MATCH_FIELDS } from './MatchRecord';
import {
  ADDRESS_WEIGHTS, BIRTH_DATE_WEIGHTS, GENDER_WEIGHTS, INSURANCE_WEIGHTS, PHONE_WEIGHTS, PROVINCE_WEIGHTS, THRESHOLDS, weightOf,
} from './matchWeights';
import { addressOverlap, addressWords, normalizePhone, normalizeProvince } from './normalizeContact';
import { parseBirthDate } from './parseBirthDate';

export type MatchDecision = 'MATCH' | 'POSSIBLE_MATCH' | 'NO_MATCH';

/** Which rule decided: a shared identifier, or the demographic score. */
export type MatchRule = 'NATIONAL_ID' | 'INSURANCE_NUMBER' | 'DEMOGRAPHICS';

export interface RecordMatch {
  readonly decision: MatchDecision;
  readonly method: MatchRule;
  /** Probability (0–1) that both records are the same person. */
  readonly confidence: number;
  /** Fellegi–Sunter score in bits (sum of the field weights); 0 for identifier decisions. */
  readonly score: number;
  readonly agreed: readonly MatchField[];
  readonly disagreed: readonly MatchField[];
}

/**
 * The one matcher of patient-graph (docs/identity.md): are two records the same person?
 * 1. Deterministic rules first. The same 12-digit national ID is a MATCH, two different ones a
 *    NO_MATCH. The same 10-digit BHXH code inside the insurance numbers is a MATCH: the card code
 *    changes with the beneficiary group and province, the BHXH code does not.
 * 2. Otherwise Fellegi–Sunter: each field adds log2(m/u) bits (core/matching/matchWeights.ts);
 *    the score against THRESHOLDS gives MATCH / POSSIBLE_MATCH / NO_MATCH.
 * 3. Vetoes: different given names (Hùng ≠ Hưng), or full birth dates that differ beyond a typing
 *    error without a shared phone or address, are never the same person on demographics; two
 *    different BHXH codes, a different family name or gender, birth dates that differ beyond a
 *    typing error (or are missing), or a year of birth with no place or contact to back it cap the
 *    decision at POSSIBLE_MATCH.
 */
export function matchRecords(a: MatchRecord, b: MatchRecord): RecordMatch {
  const nidA = present(a.nationalId);
  const nidB = present(b.nationalId);
  if (nidA !== undefined && nidB !== undefined) {
    return nidA === nidB
      ? { decision: 'MATCH', method: 'NATIONAL_ID', confidence: 1, score: 0, agreed: ['nationalId'], disagreed: [] }
      : { decision: 'NO_MATCH', method: 'NATIONAL_ID', confidence: 0, score: 0, agreed: [], disagreed: ['nationalId'] };
  }
  const bhxhA = bhxhOf(a.insuranceNumber);
  const bhxhB = bhxhOf(b.insuranceNumber);
  if (bhxhA !== undefined && bhxhA === bhxhB) {
    return { decision: 'MATCH', method: 'INSURANCE_NUMBER', confidence: 0.99, score: 0, agreed: ['insuranceNumber'], disagreed: [] };
  }
  return scoreDemographics(a, b, bhxhA !== undefined && bhxhB !== undefined);
}

function scoreDemographics(a: MatchRecord, b: MatchRecord, insuranceDiffers: boolean): RecordMatch {
  const tally = new Tally();
  if (insuranceDiffers) tally.add('insuranceNumber', weightOf(INSURANCE_WEIGHTS.disagree));
  const name = compareNames(a.fullName, b.fullName);
  tally.add('fullName', name.givenDiffers ? Math.min(name.weight, -1) : name.weight);
  const dateLevel = birthDateLevel(a.birthDate, b.birthDate);
  if (dateLevel !== undefined) tally.add('birthDate', weightOf(BIRTH_DATE_WEIGHTS[dateLevel]));
  const genderA = knownGender(a.gender);
  const genderB = knownGender(b.gender);
  if (genderA && genderB) tally.add('gender', weightOf(genderA === genderB ? GENDER_WEIGHTS.agree : GENDER_WEIGHTS.disagree));
  const provinceA = presentWith(a.province, normalizeProvince);
  const provinceB = presentWith(b.province, normalizeProvince);
  if (provinceA !== undefined && provinceB !== undefined) {
    tally.add('province', weightOf(provinceA === provinceB ? PROVINCE_WEIGHTS.agree : PROVINCE_WEIGHTS.disagree));
  }
  let addressSame = false;
  const addressA = presentWith(a.address, addressWords);
  const addressB = presentWith(b.address, addressWords);
  if (addressA !== undefined && addressB !== undefined && addressA.size > 0 && addressB.size > 0) {
    const overlap = addressOverlap(addressA, addressB);
    addressSame = overlap >= 0.8;
    tally.add('address', weightOf(addressSame ? ADDRESS_WEIGHTS.agree : overlap >= 0.5 ? ADDRESS_WEIGHTS.partial : ADDRESS_WEIGHTS.disagree));
  }
  const phoneA = presentWith(a.phone, normalizePhone);
  const phoneB = presentWith(b.phone, normalizePhone);
  if (phoneA !== undefined && phoneB !== undefined) {
    tally.add('phone', weightOf(phoneA === phoneB ? PHONE_WEIGHTS.agree : PHONE_WEIGHTS.disagree));
  }
  const score = tally.score;
  const contactAgrees = tally.agrees('phone') || addressSame;
  // A year of birth alone is shared by many namesakes: merge only with a place or contact that agrees.
  const yearOnlyAlone = dateLevel === 'yearOnly' && !contactAgrees && !tally.agrees('province');
  const needsReview = insuranceDiffers || name.family === 'disagree' || tally.disagrees('gender')
    || dateLevel === undefined || !DATE_SUPPORTS_MATCH.has(dateLevel) || yearOnlyAlone;
  // Full birth dates that contradict beyond a typing error: another person unless a contact agrees.
  const datesContradict = dateLevel === 'sameYear' || dateLevel === 'disagree';
  const decision = decide(score, name.givenDiffers || (datesContradict && !contactAgrees), needsReview);
  return {
    decision,
    method: 'DEMOGRAPHICS',
    confidence: decision === 'NO_MATCH' && name.givenDiffers ? 0 : confidenceOf(score),
    score: round(score),
    agreed: tally.agreed(),
    disagreed: tally.disagreed(),
  };
}

const DATE_SUPPORTS_MATCH: ReadonlySet<BirthDateLevel> = new Set(['exact', 'yearOnly', 'swapped', 'oneDigit']);

/** `needsReview`: a contradiction a registrar must see even at a high score. */
function decide(score: number, vetoed: boolean, needsReview: boolean): MatchDecision {
  if (vetoed || score < THRESHOLDS.possible) return 'NO_MATCH';
  return score >= THRESHOLDS.match && !needsReview ? 'MATCH' : 'POSSIBLE_MATCH';
}

/** Posterior with prior odds 2^-POSSIBLE: 0.5 at the POSSIBLE threshold. */
export function confidenceOf(score: number): number {
  return round(1 / (1 + 2 ** (THRESHOLDS.possible - score)), 4);
}

function birthDateLevel(a: string | null | undefined, b: string | null | undefined): BirthDateLevel | undefined {
  const x = presentWith(a, parseBirthDate);
  const y = presentWith(b, parseBirthDate);
  return x && y ? compareBirthDates(x, y) : undefined;
}

function knownGender(gender: MatchGender | null | undefined): MatchGender | undefined {
  return gender === 'male' || gender === 'female' || gender === 'other' ? gender : undefined;
}

class Tally {
  private readonly weights = new Map<MatchField, number>();
  score = 0;

  add(field: MatchField, weight: number): void {
    this.weights.set(field, weight);
    this.score += weight;
  }

  agrees(field: MatchField): boolean {
    return (this.weights.get(field) ?? 0) > 0;
  }

  disagrees(field: MatchField): boolean {
    return (this.weights.get(field) ?? 0) < 0;
  }

  agreed(): MatchField[] {
    return MATCH_FIELDS.filter((f) => (this.weights.get(f) ?? 0) > 0);
  }

  disagreed(): MatchField[] {
    return MATCH_FIELDS.filter((f) => (this.weights.get(f) ?? 0) < 0);
  }
}

function bhxhOf(insuranceNumber: string | null | undefined): string | undefined {
  const value = present(insuranceNumber);
  return value === undefined ? undefined : socialInsuranceNumberOf(value.toUpperCase());
}

function present(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? undefined : trimmed;
}

function presentWith<T>(value: string | null | undefined, convert: (text: string) => T | undefined): T | undefined {
  const text = present(value);
  return text === undefined ? undefined : convert(text);
}

function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
