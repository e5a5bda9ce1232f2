import type { AnalyticsFilter } from '../sdk/ClinicalAdapter';
import type { IsoDate, IsoDateTime } from '../../contracts/model/patient';
import { parseQd130DateTime, toVietnamDate, toVietnamDateTime, VIETNAM_OFFSET } from '../../core/time/vietnamTime';
import type { HisDateFormat } from './SqlHisMapping';
import { isPostgresFamily, type SqlDialectName } from './sqlDialects';

/**
 * Dates as HIS databases write them (SqlHisMapping `HisDateFormat`) ↔ the contract's ISO dates.
 * Text formats and timestamps without a zone are Viet Nam wall-clock time (UTC+07:00, no DST;
 * core/time); instants (PostgreSQL `timestamptz`, read as `Date`) are converted to it. Pure.
 */

/**
 * What a date column holds: nothing (NULL, blank), a value, or something that does not fit the
 * declared format, which the caller reports (a wrong chart must not look like an empty one).
 * A year-only birth date (`yyyy`, or month and day `00`) is a value without a calendar date.
 */
export type HisDateReading<T> =
  | { readonly kind: 'empty' }
  | { readonly kind: 'value'; readonly value: T | null }
  | { readonly kind: 'invalid' };

const EMPTY = { kind: 'empty' } as const;
const INVALID = { kind: 'invalid' } as const;

/** `decodeHisDateTime`, telling an empty column from a malformed value. */
export function readHisDateTime(value: unknown, format: HisDateFormat): HisDateReading<IsoDateTime> {
  if (isDate(value) || textOf(value) === null) return isDate(value) && Number.isNaN(value.getTime()) ? INVALID : isDate(value) ? { kind: 'value', value: toVietnamDateTime(value) } : EMPTY;
  // A year-only value has no instant: a valid value, served as null.
  if (format === 'yyyy' || isYearOnly(textOf(value) as string, format)) return yearOnlyYear(textOf(value) as string, format) === null ? INVALID : { kind: 'value', value: null };
  const decoded = decodeHisDateTime(value, format);
  return decoded === null ? INVALID : { kind: 'value', value: decoded };
}

/** `decodeHisDate`, telling an empty column from a malformed value. */
export function readHisDate(value: unknown, format: HisDateFormat): HisDateReading<IsoDate> {
  if (isDate(value) || textOf(value) === null) return isDate(value) && Number.isNaN(value.getTime()) ? INVALID : isDate(value) ? { kind: 'value', value: toVietnamDate(value) } : EMPTY;
  // A year-only birth date is served as \`YYYY\`, the form the matcher compares as year-only (core/matching/parseBirthDate.ts).
  if (format === 'yyyy' || isYearOnly(textOf(value) as string, format)) {
    const year = yearOnlyYear(textOf(value) as string, format);
    return year === null ? INVALID : { kind: 'value', value: year };
  }
  const decoded = decodeHisDate(value, format);
  return decoded === null ? INVALID : { kind: 'value', value: decoded };
}

/** `yyyy0000…`: a year-only birth date written in a longer format (QĐ 130 NGAY_SINH). */
function isYearOnly(text: string, format: HisDateFormat): boolean {
  return (format === 'yyyyMMdd' || format === 'yyyyMMddHHmm' || format === 'yyyyMMddHHmmss') && /^\d{4}0000(\d{4}|\d{6})?$/.test(text) && text.length === format.length;
}

/** The year of a year-only value (`YYYY`), or null when it does not fit the format or is before 1850. */
function yearOnlyYear(text: string, format: HisDateFormat): string | null {
  const fits = format === 'yyyy' ? /^\d{4}$/.test(text) : isYearOnly(text, format);
  return fits && Number(text.slice(0, 4)) >= 1850 ? text.slice(0, 4) : null;
}

/** A column value → `YYYY-MM-DDTHH:mm:ss+07:00`; null when empty or not a valid date in that format. */
export function decodeHisDateTime(value: unknown, format: HisDateFormat): IsoDateTime | null {
  if (isDate(value)) return Number.isNaN(value.getTime()) ? null : toVietnamDateTime(value);
  const text = textOf(value);
  if (text === null) return null;
  switch (format) {
    case 'timestamp':
      return decodeTimestamp(text);
    case 'yyyy':
      return null;
    case 'yyyyMMddHHmmss':
      return decodeSeconds(text);
    case 'yyyyMMddHHmm':
      return parseQd130DateTime(text) ?? null;
    case 'date':
    case 'yyyyMMdd':
    case 'dd/MM/yyyy': {
      const date = decodeDateText(text, format);
      return date === null ? null : `${date}T00:00:00${VIETNAM_OFFSET}`;
    }
  }
}

/** A column value → `YYYY-MM-DD` (Viet Nam calendar date); null when empty or invalid. */
export function decodeHisDate(value: unknown, format: HisDateFormat): IsoDate | null {
  if (isDate(value)) return Number.isNaN(value.getTime()) ? null : toVietnamDate(value);
  const text = textOf(value);
  if (text === null) return null;
  switch (format) {
    case 'timestamp': {
      const dateTime = decodeTimestamp(text);
      return dateTime === null ? null : dateTime.slice(0, 10);
    }
    case 'yyyy':
      return null;
    case 'yyyyMMddHHmmss': {
      const dateTime = decodeSeconds(text);
      return dateTime === null ? null : dateTime.slice(0, 10);
    }
    case 'yyyyMMddHHmm': {
      // QĐ 130 NGAY_SINH: 12 characters, `0000` for an unknown day/month (then no date: null).
      const dateTime = parseQd130DateTime(text);
      return dateTime === undefined ? null : dateTime.slice(0, 10);
    }
    case 'date':
    case 'yyyyMMdd':
    case 'dd/MM/yyyy':
      return decodeDateText(text, format);
  }
}

/**
 * How a lookup date is written to compare with a column of this format. `yyyyMMddHHmm` columns are
 * compared on their first 8 characters (the query uses `LEFT(column, 8)`), so the value is `yyyyMMdd`.
 */
export function encodeHisDate(date: IsoDate, format: Exclude<HisDateFormat, 'timestamp' | 'yyyy' | 'yyyyMMddHHmmss'>): string {
  const [y, m, d] = date.split('-') as [string, string, string];
  switch (format) {
    case 'date':
      return date;
    case 'yyyyMMdd':
    case 'yyyyMMddHHmm':
      return `${y}${m}${d}`;
    case 'dd/MM/yyyy':
      return `${d}/${m}/${y}`;
  }
}

/**
 * Inclusive bounds of one calendar day in a `yyyyMMddHHmm[ss]` column, as digits: compared with
 * the column itself, they work on text (same length, so text order is time order) and on BIGINT
 * columns (the database converts the parameter to the column's type).
 */
export function birthDateBounds(date: IsoDate, format: 'yyyyMMddHHmm' | 'yyyyMMddHHmmss'): [string, string] {
  const ymd = date.replace(/-/g, '');
  return format === 'yyyyMMddHHmm' ? [`${ymd}0000`, `${ymd}2359`] : [`${ymd}000000`, `${ymd}235959`];
}

export interface WindowBound {
  readonly operator: '>=' | '<' | '<=';
  readonly value: string;
}

/**
 * The bounds that select rows whose date falls in an analytics window (inclusive Viet Nam calendar
 * dates), as parameter values compared with the column (or, for `dd/MM/yyyy`, with its
 * `yyyyMMdd` rearrangement, which sorts). Timestamps end before midnight of the day after `to`.
 * PostgreSQL takes ISO instants with the offset (for a `timestamp` without zone it drops the offset,
 * leaving the Viet Nam wall clock, as wanted); MySQL compares `YYYY-MM-DD HH:MM:SS` in the session
 * time zone, which the connection sets to +07:00.
 */
export function windowBounds(filter: AnalyticsFilter, format: HisDateFormat, dialect: SqlDialectName): WindowBound[] {
  const bounds: WindowBound[] = [];
  const ymd = (date: IsoDate): string => date.replace(/-/g, '');
  const midnight = (date: IsoDate): string => (isPostgresFamily(dialect) ? `${date}T00:00:00${VIETNAM_OFFSET}` : `${date} 00:00:00`);
  const { from, to } = filter;
  switch (format) {
    case 'timestamp':
      if (from !== null) bounds.push({ operator: '>=', value: midnight(from) });
      if (to !== null) bounds.push({ operator: '<', value: midnight(nextDay(to)) });
      return bounds;
    case 'date':
      if (from !== null) bounds.push({ operator: '>=', value: from });
      if (to !== null) bounds.push({ operator: '<=', value: to });
      return bounds;
    case 'yyyyMMddHHmm':
      if (from !== null) bounds.push({ operator: '>=', value: `${ymd(from)}0000` });
      if (to !== null) bounds.push({ operator: '<', value: `${ymd(nextDay(to))}0000` });
      return bounds;
    case 'yyyyMMddHHmmss':
      if (from !== null) bounds.push({ operator: '>=', value: `${ymd(from)}000000` });
      if (to !== null) bounds.push({ operator: '<', value: `${ymd(nextDay(to))}000000` });
      return bounds;
    case 'yyyy':
      if (from !== null) bounds.push({ operator: '>=', value: from.slice(0, 4) });
      if (to !== null) bounds.push({ operator: '<=', value: to.slice(0, 4) });
      return bounds;
    case 'yyyyMMdd':
    case 'dd/MM/yyyy':
      if (from !== null) bounds.push({ operator: '>=', value: ymd(from) });
      if (to !== null) bounds.push({ operator: '<=', value: ymd(to) });
      return bounds;
  }
}

/**
 * A driver's Date, also one made in another realm (`instanceof` fails across them: rows of a worker
 * thread arrive as the main context's Dates, which a sandbox such as jest's does not share).
 */
function isDate(value: unknown): value is Date {
  return Object.prototype.toString.call(value) === '[object Date]';
}

/**
 * Text of a column value: strings trimmed, numbers written out (a BIGINT `20240305073215`, or a
 * DECIMAL read as `20240305073215.00`, gives its digits); null for NULL and blanks.
 */
function textOf(value: unknown): string | null {
  if (typeof value === 'string') {
    const text = value.trim();
    return text === '' ? null : /^\d+\.0+$/.test(text) ? text.slice(0, text.indexOf('.')) : text;
  }
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return null;
}

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** `YYYY-MM-DD HH:MM[:SS[.fff]]` with or without a zone (drivers print `+07`, `+0700`, `Z`). */
function decodeTimestamp(text: string): IsoDateTime | null {
  const m = TIMESTAMP.exec(text);
  if (!m) return decodeDateText(text, 'date') === null ? null : `${text}T00:00:00${VIETNAM_OFFSET}`;
  const [, date, hh, mm, ss = '00', zone] = m as unknown as [string, string, string, string, string | undefined, string | undefined];
  if (zone !== undefined) {
    const instant = new Date(`${date}T${hh}:${mm}:${ss}${isoOffset(zone)}`);
    return Number.isNaN(instant.getTime()) ? null : toVietnamDateTime(instant);
  }
  const iso = `${date}T${hh}:${mm}:${ss}${VIETNAM_OFFSET}`;
  const instant = new Date(iso);
  // Round-trip check: rejects 25:00, 31 February, … which Date would silently roll over.
  return !Number.isNaN(instant.getTime()) && toVietnamDateTime(instant) === iso ? iso : null;
}

/** `Z`, `+07`, `+0700`, `+07:00` → the ISO form (`Z`, `+07:00`). */
function isoOffset(zone: string): string {
  if (zone === 'Z') return zone;
  const digits = zone.slice(1).replace(':', '');
  return `${zone.slice(0, 1)}${digits.slice(0, 2)}:${digits.slice(2, 4) || '00'}`;
}

/** `yyyyMMddHHmmss`, Viet Nam wall clock; null when malformed or not a real time (round trip). */
function decodeSeconds(text: string): IsoDateTime | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, sec] = m;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${sec}${VIETNAM_OFFSET}`;
  const instant = new Date(iso);
  return !Number.isNaN(instant.getTime()) && toVietnamDateTime(instant) === iso ? iso : null;
}

const DATE_PATTERNS: Readonly<Record<'date' | 'yyyyMMdd' | 'dd/MM/yyyy', RegExp>> = {
  date: /^(\d{4})-(\d{2})-(\d{2})$/,
  yyyyMMdd: /^(\d{4})(\d{2})(\d{2})$/,
  'dd/MM/yyyy': /^(\d{2})\/(\d{2})\/(\d{4})$/,
};

function decodeDateText(text: string, format: 'date' | 'yyyyMMdd' | 'dd/MM/yyyy'): IsoDate | null {
  const m = DATE_PATTERNS[format].exec(text);
  if (!m) return null;
  const [y, mo, d] = format === 'dd/MM/yyyy' ? [m[3], m[2], m[1]] : [m[1], m[2], m[3]];
  const date = `${y}-${mo}-${d}`;
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date ? date : null;
}

function nextDay(date: IsoDate): IsoDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
