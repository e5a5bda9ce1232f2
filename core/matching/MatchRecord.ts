/**
 * One side of a match: the demographic and identifying facts a source or the patient index holds
 * about a person (the record `R` of `patient-graph identity match`, docs/identity.md). Every field
 * but the name may be missing; sources write "missing" as absent, null or blank.
 */
export interface MatchRecord {
  /** 12-digit personal identification number (số định danh cá nhân). */
  readonly nationalId?: string | null;
  /** 15-character insurance card code or bare 10-digit BHXH code. */
  readonly insuranceNumber?: string | null;
  readonly fullName: string;
  /** `YYYY-MM-DD`, or `YYYY` when only the year is known (QĐ 130 writes `0000` for day and month). */
  readonly birthDate?: string | null;
  readonly gender?: MatchGender | null;
  /** Province code (`01`) or name (`Hà Nội`). */
  readonly province?: string | null;
  readonly address?: string | null;
  readonly phone?: string | null;
}

export type MatchGender = 'male' | 'female' | 'other' | 'unknown';

/** The fields a comparison reports as agreed or disagreed, in this order. */
export const MATCH_FIELDS = [
  'nationalId', 'insuranceNumber', 'fullName', 'birthDate', 'gender', 'province', 'address', 'phone',
] as const;

export type MatchField = (typeof MATCH_FIELDS)[number];
