/** A birth date as records hold it: a full date, or only the year. */
export type BirthDate =
  | { readonly kind: 'full'; readonly year: string; readonly month: string; readonly day: string }
  | { readonly kind: 'year'; readonly year: string };

/**
 * Reads `YYYY-MM-DD`, `YYYYMMDD` (QĐ 130 NGAY_SINH) or `YYYY`. QĐ 130 writes `00` for an unknown
 * day and month (`YYYY0000`, `YYYY-00-00`): that is a year-only date. Undefined for anything else,
 * including impossible dates (2023-02-30).
 */
export function parseBirthDate(input: string): BirthDate | undefined {
  const text = input.trim();
  const match = /^(\d{4})(?:-?(\d{2})-?(\d{2}))?$/.exec(text);
  if (!match) return undefined;
  const [, year = '', month, day] = match;
  if (Number(year) < 1850) return undefined;
  if (month === undefined || day === undefined || (month === '00' && day === '00')) return { kind: 'year', year };
  const date = new Date(`${year}-${month}-${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.getUTCDate() !== Number(day) || date.getUTCMonth() + 1 !== Number(month)) {
    return undefined;
  }
  return { kind: 'full', year, month, day };
}
