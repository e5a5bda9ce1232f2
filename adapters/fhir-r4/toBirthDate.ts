import { toIsoDate } from './toIsoDateTime';

const YEAR_OR_MONTH = /^(\d{4})(-(0[1-9]|1[0-2]))?$/;

/**
 * FHIR `Patient.birthDate` (a FHIR `date`: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, datatypes.html#date)
 * as the birth date the gateway serves: a full date as written; a year or a year and month as the
 * year alone (`YYYY`), the year-only form the matcher compares by year (core/matching/parseBirthDate.ts)
 * and the one the SQL-HIS adapter serves (adapters/sql-his/hisDateFormats.ts). The month is not kept:
 * the contract has no month-only birth date. A year before 1850, or anything else, is null.
 */
export function toBirthDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  const partial = YEAR_OR_MONTH.exec(trimmed);
  if (partial) return Number(partial[1]) >= 1850 ? (partial[1] as string) : null;
  return toIsoDate(trimmed);
}
