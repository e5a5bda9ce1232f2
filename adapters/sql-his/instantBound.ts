import type { HisDateFormat } from './SqlHisMapping';
import { isPostgresFamily, type SqlDialectName } from './sqlDialects';

const VIETNAM_OFFSET_MS = 7 * 3_600_000;
const STEP_MS = { timestamp: 1, yyyyMMddHHmmss: 1_000, yyyyMMddHHmm: 60_000 } as const;

/**
 * An instant as a value of a HIS column holding instants (the feed's `patients.updatedAt`): the
 * smallest value the column can hold that is at or after the instant — so `column >= bound` keeps
 * exactly the rows at or after it, and an instant read from the column (a feed cursor) comes back
 * as itself, for `column = bound`. PostgreSQL compares ISO instants to the millisecond (a `timestamp`
 * without zone keeps the wall clock, which HIS columns hold in Viet Nam time, hence the +07:00
 * text); MySQL compares `YYYY-MM-DD HH:MM:SS.sss` in the session time zone, which the connection
 * sets to +07:00; digit formats hold the Viet Nam wall clock to the second or the minute, so the
 * instant is rounded up to it. Instants finer than a millisecond are not told apart.
 */
export function instantBound(iso: string, format: Extract<HisDateFormat, 'timestamp' | 'yyyyMMddHHmmss' | 'yyyyMMddHHmm'>, dialect: SqlDialectName): string {
  const step = STEP_MS[format];
  const instant = Math.ceil(Date.parse(iso) / step) * step;
  const local = new Date(instant + VIETNAM_OFFSET_MS).toISOString(); // wall clock as if UTC: YYYY-MM-DDTHH:mm:ss.sssZ
  switch (format) {
    case 'timestamp':
      return isPostgresFamily(dialect) ? `${local.slice(0, 23)}+07:00` : local.slice(0, 23).replace('T', ' ');
    case 'yyyyMMddHHmmss':
      return local.slice(0, 19).replace(/\D/g, '');
    case 'yyyyMMddHHmm':
      return local.slice(0, 16).replace(/\D/g, '');
  }
}
