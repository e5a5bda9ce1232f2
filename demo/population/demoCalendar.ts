import type { IsoDate, IsoDateTime } from '../../contracts/model/patient';
import { VIETNAM_OFFSET, toVietnamDateTime } from '../../core/time/vietnamTime';

/**
 * Calendar arithmetic for the generator. Everything is relative to a fixed "as of" date, never the
 * clock, so the population is the same on every run.
 */
const DAY_MS = 24 * 60 * 60 * 1000;

/** `YYYY-MM-DD` plus `days` (may be negative). */
export function addDays(date: IsoDate, days: number): IsoDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to`. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The instant of a Viet Nam wall-clock time on a date, in epoch milliseconds. */
export function vietnamInstant(date: IsoDate, minutesAfterMidnight: number): number {
  return Date.parse(`${date}T00:00:00${VIETNAM_OFFSET}`) + minutesAfterMidnight * 60_000;
}

/** Epoch milliseconds → ISO DateTime with the `+07:00` offset (core/time). */
export function vietnamDateTime(epochMs: number): IsoDateTime {
  return toVietnamDateTime(new Date(epochMs));
}

/** Epoch milliseconds plus minutes → ISO DateTime with `+07:00`. */
export function minutesLater(epochMs: number, minutes: number): IsoDateTime {
  return vietnamDateTime(epochMs + minutes * 60_000);
}
