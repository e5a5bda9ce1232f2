import { isPartialDateTime } from '../../contracts/scalars';
import { toIsoDateTime } from './toIsoDateTime';

const DATE_ONLY = /^\d{4}(-\d{2}(-\d{2})?)?$/;

/**
 * A FHIR date or dateTime as the contract's `PartialDateTime`: at the precision the source wrote it
 * (FHIR R4 datatypes.html#dateTime: `2012`, `2012-05`, `2012-05-24` stay so). A value with a time
 * is the contract's `DateTime` (`toIsoDateTime`: a missing offset, which FHIR forbids but servers
 * send, is read as Viet Nam time). Not a real date → null, like `toIsoDateTime`.
 */
export function toPartialDateTime(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  if (DATE_ONLY.test(trimmed)) return isPartialDateTime(trimmed) ? trimmed : null;
  return toIsoDateTime(trimmed);
}

/**
 * The contract's `…AsRecorded` value for a FHIR date or dateTime: the partial date when the source
 * gave no time (`2012-05-24`), else null, as the `DateTime` sibling is then exactly what was written
 * (the SDK answers `…AsRecorded` with it). Keeps records small and equal across kinds of source.
 */
export function coarserThanDateTime(value: unknown): string | null {
  return typeof value === 'string' && DATE_ONLY.test(value.trim()) ? toPartialDateTime(value) : null;
}

/** The first of a FHIR choice's candidate values (e.g. onsetDateTime, onsetPeriod.start) that is a date. */
export function firstDateValue(...values: readonly unknown[]): string | null {
  for (const value of values) if (toIsoDateTime(value) !== null) return value as string;
  return null;
}
