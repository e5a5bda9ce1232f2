import { toVietnamDateTime } from '../../core/time/vietnamTime';
import type { HisDateFormat } from './SqlHisMapping';
import { isPostgresFamily, type SqlDialectName } from './sqlDialects';

/**
 * An instant as a lower bound on a HIS column holding instants (the feed's `patients.updatedAt`):
 * PostgreSQL compares ISO instants (a `timestamp` without zone keeps the wall clock, which HIS
 * columns hold in Viet Nam time, hence the +07:00 text); MySQL compares `YYYY-MM-DD HH:MM:SS` in
 * the session time zone, which the connection sets to +07:00; digit formats hold the Viet Nam wall
 * clock, cut to their precision (a bound at the minute's start still includes the instant).
 */
export function instantBound(iso: string, format: Extract<HisDateFormat, 'timestamp' | 'yyyyMMddHHmmss' | 'yyyyMMddHHmm'>, dialect: SqlDialectName): string {
  const local = toVietnamDateTime(new Date(iso)); // YYYY-MM-DDTHH:mm:ss+07:00
  switch (format) {
    case 'timestamp':
      return isPostgresFamily(dialect) ? local : local.slice(0, 19).replace('T', ' ');
    case 'yyyyMMddHHmmss':
      return local.slice(0, 19).replace(/\D/g, '');
    case 'yyyyMMddHHmm':
      return local.slice(0, 16).replace(/\D/g, '');
  }
}
