import type { SourcePatient } from './ClinicalAdapter';

/** A patient record as the source holds it, with when its demographics last changed there. */
export interface ChangedPatient extends SourcePatient {
  /** ISO 8601 instant of the last change of the record's demographics at the source. */
  readonly updatedAt: string;
}

/** Where a page of changes ends: changes are ordered by `updatedAt`, then `localId`. */
export interface PatientChangeCursor {
  readonly updatedAt: string;
  readonly localId: string;
}

/** One page of the registration feed (`patientChanges`, clinical contract). */
export interface PatientChangePage {
  readonly patients: readonly ChangedPatient[];
  /** The last record's place (null on an empty page): the reader resumes after it, now or next time. */
  readonly end: PatientChangeCursor | null;
  readonly hasNextPage: boolean;
}

/**
 * One page of the records changed at or after `since` (an instant, compared as a time, not as
 * text), in (updatedAt, localId) order, strictly after `after`: for a source that holds its
 * records in memory (the synthetic hospital). Pure.
 */
export function pageOfChanges(all: readonly ChangedPatient[], since: string, first: number, after: PatientChangeCursor | null): PatientChangePage {
  const from = Date.parse(since);
  const ordered = all
    .filter((p) => Date.parse(p.updatedAt) >= from && (after === null || isAfter(p, after)))
    .sort((a, b) => Date.parse(a.updatedAt) - Date.parse(b.updatedAt) || compare(a.localId, b.localId));
  const patients = ordered.slice(0, first);
  const last = patients.at(-1);
  return { patients, end: last ? { updatedAt: last.updatedAt, localId: last.localId } : null, hasNextPage: ordered.length > first };
}

function isAfter(patient: ChangedPatient, cursor: PatientChangeCursor): boolean {
  const a = Date.parse(patient.updatedAt);
  const b = Date.parse(cursor.updatedAt);
  return a > b || (a === b && patient.localId > cursor.localId);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
