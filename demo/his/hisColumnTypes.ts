import { sql, type ColumnDataType, type Expression } from 'kysely';
import { isPostgresFamily, type SqlDialectName } from '../../adapters/sql-his/sqlDialects';
import { formatQd130DateTime, toVietnamDateTime } from '../../core/time/vietnamTime';

/** Column types the demo schemas use whose spelling differs between PostgreSQL (and PGlite) and MariaDB. */
export interface HisColumnTypes {
  /** An instant: PostgreSQL `timestamptz`; MariaDB `datetime` holding Viet Nam wall-clock time. */
  readonly instant: ColumnDataType;
  /** A 1-byte code (GIOI_TINH): MariaDB `tinyint`, PostgreSQL `smallint` (it has no tinyint). */
  readonly tinyCode: ColumnDataType | Expression<unknown>;
}

export function hisColumnTypes(dialect: SqlDialectName): HisColumnTypes {
  return isPostgresFamily(dialect) ? { instant: 'timestamptz', tinyCode: 'smallint' } : { instant: 'datetime', tinyCode: sql`tinyint` };
}

/**
 * An ISO instant as the `instant` column takes it: PostgreSQL parses the offset; MariaDB's
 * `datetime` gets the Viet Nam wall clock (`YYYY-MM-DD HH:MM:SS`), which the adapter reads back as such.
 */
export function instantValue(isoDateTime: string | null, dialect: SqlDialectName): string | null {
  if (isoDateTime === null) return null;
  return isPostgresFamily(dialect) ? isoDateTime : toVietnamDateTime(new Date(isoDateTime)).slice(0, 19).replace('T', ' ');
}

/** An ISO instant as QĐ 130 text, `yyyyMMddHHmm` in Viet Nam time (docs/standards.md §2.3). */
export function qd130Value(isoDateTime: string | null): string | null {
  return isoDateTime === null ? null : formatQd130DateTime(isoDateTime);
}
