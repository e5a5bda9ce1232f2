import type { BirthDate } from './parseBirthDate';

export type BirthDateLevel = 'exact' | 'yearOnly' | 'swapped' | 'oneDigit' | 'sameYear' | 'disagree';

/**
 * How two birth dates compare: the same date; the same year where one side knows only the year;
 * day and month swapped; one digit of YYYYMMDD different (a typing error); the same year with day
 * and month both different; or different.
 */
export function compareBirthDates(a: BirthDate, b: BirthDate): BirthDateLevel {
  if (a.kind === 'year' || b.kind === 'year') return a.year === b.year ? 'yearOnly' : 'disagree';
  const x = `${a.year}${a.month}${a.day}`;
  const y = `${b.year}${b.month}${b.day}`;
  if (x === y) return 'exact';
  if (a.year === b.year && a.month === b.day && a.day === b.month) return 'swapped';
  let differences = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) differences++;
  if (differences === 1) return 'oneDigit';
  return a.year === b.year ? 'sameYear' : 'disagree';
}
