import { icd10Category, icd10Chapter } from '../../adapters/sdk/population/icd10Chapter';
import type { CohortDetail } from './CohortDetail';
import type { SourceCohortRow } from './CohortRow';
import type { QuasiIdentifiedRow } from './withholdSmallGroups';

/** A cohort row at a level of detail: exactly what is released of it, and what its group is checked on. */
export interface GeneralizedCohortRow extends Omit<QuasiIdentifiedRow, 'person'> {
  readonly networkPseudonym: string;
  /** The month, at CODES only (null at the coarser levels, whose period is a quarter or a year). */
  readonly month: string | null;
}

/** What a code that is not ICD-10-shaped (or outside every chapter) becomes at CATEGORY and CHAPTER. */
export const UNCLASSIFIED_CODE = 'UNCLASSIFIED';

/**
 * A source's row generalized to a level (docs/analytics.md, "Coarser rows"), before the
 * k-anonymity check, which then runs on exactly these values:
 * - CODES: every code as recorded (main first), the five-year age band, the month;
 * - CATEGORY: three-character categories (main first, the others once each, sorted), ten-year age
 *   band (`80+` at the top), quarter;
 * - CHAPTER: the main diagnosis's chapter only — secondary diagnoses make nearly every combination
 *   unique even as chapters —, twenty-year age band (`0-19` … `60-79`, `80+`), year.
 * Each level is computed from the row of the level before it. Pure.
 */
export function generalizeCohortRow(row: SourceCohortRow, detail: CohortDetail): GeneralizedCohortRow {
  const common = { networkPseudonym: row.networkPseudonym, sex: row.sex, province: row.province, encounterClass: row.encounterClass };
  switch (detail) {
    case 'CODES':
      return { ...common, ageBand: row.ageBand, icd10Codes: row.icd10Codes, period: row.month, month: row.month };
    case 'CATEGORY':
      return { ...common, ageBand: widerAgeBand(row.ageBand, 10), icd10Codes: mainFirst(row.icd10Codes.map((c) => icd10Category(c) ?? UNCLASSIFIED_CODE)), period: quarterOf(row.month), month: null };
    case 'CHAPTER': {
      const main = row.icd10Codes[0];
      return { ...common, ageBand: widerAgeBand(row.ageBand, 20), icd10Codes: main === undefined ? [] : [icd10Chapter(main) ?? UNCLASSIFIED_CODE], period: yearOf(row.month), month: null };
    }
  }
}

/** The main value, then the others once each (not the main again), sorted in code units. */
function mainFirst(values: readonly string[]): string[] {
  const [main, ...others] = values;
  if (main === undefined) return [];
  return [main, ...[...new Set(others.filter((v) => v !== main))].sort()];
}

/**
 * A five-year band (`45-49`, `85+`) widened to `width` years (10 or 20: multiples of five, so each
 * five-year band falls in one wider band), with everyone from 80 in `80+`; null stays null, and a
 * value that is not a band is withheld as unknown (null) rather than released as it came.
 */
function widerAgeBand(band: string | null, width: 10 | 20): string | null {
  if (band === null) return null;
  const low = band === '85+' ? 85 : /^(\d+)-\d+$/.exec(band)?.[1];
  if (low === undefined) return null;
  const start = Math.floor(Number(low) / width) * width;
  return start >= 80 ? '80+' : `${start}-${start + width - 1}`;
}

/** `2025-03` → `2025-Q1`; null when the month is unknown or not `YYYY-MM`. */
function quarterOf(month: string | null): string | null {
  const match = month === null ? null : MONTH.exec(month);
  return match ? `${match[1]}-Q${Math.ceil(Number(match[2]) / 3)}` : null;
}

/** `2025-03` → `2025`; null when the month is unknown or not `YYYY-MM`. */
function yearOf(month: string | null): string | null {
  return (month === null ? null : MONTH.exec(month)?.[1]) ?? null;
}

const MONTH = /^(\d{4})-(\d{2})$/;
