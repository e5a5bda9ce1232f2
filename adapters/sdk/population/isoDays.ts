import type { IsoDate } from '../../../contracts/model/patient';

/** The day number of a `YYYY-MM-DD` calendar date (days since 1970-01-01); NaN when it is not one. */
export function dayNumber(date: IsoDate): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? Date.parse(`${date}T00:00:00Z`) / 86_400_000 : Number.NaN;
}

/** The calendar date `days` after (or before, when negative) `date`. */
export function addDays(date: IsoDate, days: number): IsoDate {
  return new Date((dayNumber(date) + days) * 86_400_000).toISOString().slice(0, 10);
}
