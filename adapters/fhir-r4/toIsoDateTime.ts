import { isIsoDate, isIsoDateTime } from '../../contracts/scalars';
import { VIETNAM_OFFSET } from '../../core/time/vietnamTime';

/** FHIR `date` / `dateTime` / `instant`: a year, year-month, date, or date and time. */
const FHIR_DATE_TIME = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/**
 * A FHIR date or dateTime as the contract's `DateTime` (ISO 8601 with an offset). FHIR R4
 * (datatypes.html#dateTime) allows partial dates and, in practice, servers also send times without
 * an offset: both are read as Viet Nam wall-clock time (`+07:00`), a partial date as the start of
 * the year or month it names. A stated offset is kept as the source wrote it. Anything else (not a
 * string, not a real calendar date) is null: a wrong timestamp is worse than none.
 */
export function toIsoDateTime(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const m = FHIR_DATE_TIME.exec(value.trim());
  if (!m) return null;
  const [, year, month = '01', day = '01', hourMinute, seconds, offset] = m;
  const date = `${year}-${month}-${day}`;
  if (!isIsoDate(date)) return null;
  const iso = hourMinute === undefined
    ? `${date}T00:00:00${VIETNAM_OFFSET}`
    : `${date}T${hourMinute}${seconds ?? ':00'}${offset ?? VIETNAM_OFFSET}`;
  return isIsoDateTime(iso) ? iso : null;
}

/** A FHIR `date` with full precision (Patient.birthDate); partial or malformed dates are null. */
export function toIsoDate(value: unknown): string | null {
  return typeof value === 'string' && isIsoDate(value) ? value : null;
}
