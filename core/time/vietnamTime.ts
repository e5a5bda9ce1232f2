/**
 * Viet Nam time (UTC+07:00, no daylight saving). QĐ 130 timestamps (`yyyyMMddHHmm`) and most HIS
 * databases hold local wall-clock time; the contracts expose ISO 8601 with the `+07:00` offset.
 */
export const VIETNAM_OFFSET = '+07:00';
const OFFSET_MS = 7 * 60 * 60 * 1000;

/** `Date` instant → `YYYY-MM-DDTHH:mm:ss+07:00`. */
export function toVietnamDateTime(instant: Date): string {
  const local = new Date(instant.getTime() + OFFSET_MS).toISOString(); // wall clock as if UTC
  return `${local.slice(0, 19)}${VIETNAM_OFFSET}`;
}

/** `Date` instant → the calendar date in Viet Nam, `YYYY-MM-DD`. */
export function toVietnamDate(instant: Date): string {
  return new Date(instant.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** QĐ 130 `yyyyMMddHHmm` (Viet Nam wall clock) → ISO with offset; undefined when malformed. */
export function parseQd130DateTime(value: string): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi] = m;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:00${VIETNAM_OFFSET}`;
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime()) || toVietnamDateTime(instant) !== iso) return undefined;
  return iso;
}

/** ISO instant with any offset → QĐ 130 `yyyyMMddHHmm` in Viet Nam wall clock. */
export function formatQd130DateTime(isoDateTime: string): string {
  const local = toVietnamDateTime(new Date(isoDateTime));
  return local.slice(0, 16).replace(/[-T:]/g, '');
}
