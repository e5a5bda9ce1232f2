import type { IsoDate } from '../../contracts/model/patient';

/**
 * Value formats of QĐ 130 / 4750 (docs/standards.md §2.3) that core/time does not cover already
 * (`parseQd130DateTime` there reads `yyyyMMddHHmm`). Parsers return `undefined` for a malformed
 * value; callers decide whether that is a problem.
 */

/** Money, quantities: digits with `.` as the decimal point (NUMERIC(15,2) etc.). */
export function parseQd130Number(text: string): number | undefined {
  return /^-?\d{1,15}(\.\d{1,6})?$/.test(text) ? Number(text) : undefined;
}

/**
 * A result value (XML4 GIA_TRI, free text): a plain number with `.` or, as Vietnamese labs often
 * write it, a single `,` as the decimal point. Anything else (`<0.5`, `Âm tính`) is not numeric.
 */
export function parseResultNumber(text: string): number | undefined {
  const match = /^([-+]?\d{1,12})(?:[.,](\d{1,9}))?$/.exec(text.trim());
  if (!match) return undefined;
  return Number(match[2] === undefined ? match[1] : `${match[1]}.${match[2]}`);
}

/** A birth date read from NGAY_SINH: a date, explicitly unknown (`0000` day/month), or malformed. */
export type Qd130BirthDate =
  | { readonly kind: 'date'; readonly date: IsoDate }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'invalid' };

/**
 * NGAY_SINH (XML1 field 6): `yyyyMMddHHmm` since QĐ 130, `yyyyMMdd` in QĐ 4210. `0000` for the
 * month and day means they are unknown (only the year is), and `0000` for hour and minute is the
 * usual "time unknown". A date without month and day cannot be compared as a birth date, so it is
 * `unknown`, not a guess such as 1 January.
 */
export function parseQd130BirthDate(text: string): Qd130BirthDate {
  const match = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2}))?$/.exec(text);
  if (!match) return { kind: 'invalid' };
  const [, year, month, day, hour = '00', minute = '00'] = match;
  if (month === '00' && day === '00') return { kind: 'unknown' };
  if (Number(hour) > 23 || Number(minute) > 59) return { kind: 'invalid' };
  const date = `${year}-${month}-${day}`;
  const parsed = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date) return { kind: 'invalid' };
  return { kind: 'date', date };
}

/** A `;`-separated multi-value field (cards, departments, ICD codes): trimmed, empties dropped. */
export function splitQd130List(text: string | null): string[] {
  if (text === null) return [];
  return text.split(';').map((part) => part.trim()).filter((part) => part !== '');
}
