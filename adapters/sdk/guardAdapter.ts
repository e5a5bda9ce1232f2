import { PatientGraphError } from '../../core/errors/PatientGraphError';
import type { Logger } from '../../core/logging/logger';
import type { ClinicalAdapter, Facility } from './ClinicalAdapter';

/**
 * The adapter as the clinical subgraph calls it: every failure of the source leaves as a coded
 * `PatientGraphError` (docs/style.md §4: adapters throw, the subgraph edge converts). A coded error the
 * adapter threw passes unchanged; anything else becomes SOURCE_UNAVAILABLE naming the facility,
 * with the original kept as `cause` and logged here — once per source call, not once per field.
 * Log lines carry the operation and the error, never the patient keys the call was made with.
 */
export function guardAdapter(adapter: ClinicalAdapter, facility: Facility, logger: Logger): ClinicalAdapter {
  const guarded = async <T>(operation: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      if (error instanceof PatientGraphError) throw error;
      logger.error('clinical.source_failed', {
        facilityCode: facility.code,
        system: adapter.system,
        operation,
        errorName: error instanceof Error ? error.name : typeof error,
        errorCode: errorCodeOf(error),
        message: error instanceof Error ? error.message : undefined,
      });
      throw new PatientGraphError('SOURCE_UNAVAILABLE', `the ${adapter.system} source failed`, { facilityCode: facility.code }, { cause: error });
    }
  };
  return {
    system: adapter.system,
    findPatients: (lookup) => guarded('findPatients', () => adapter.findPatients(lookup)),
    loadResources: (kind, patientLocalIds) => guarded(`loadResources.${kind}`, () => adapter.loadResources(kind, patientLocalIds)),
    diagnosisCounts: (filter) => guarded('diagnosisCounts', () => adapter.diagnosisCounts(filter)),
    encounterCount: (filter) => guarded('encounterCount', () => adapter.encounterCount(filter)),
    ...(adapter.population
      ? { population: (query, pseudonymOf) => guarded('population', () => adapter.population?.(query, pseudonymOf) ?? Promise.resolve([])) }
      : {}),
    ...(adapter.cohort
      ? {
          cohort: (query, pseudonymOf, after, first) =>
            guarded('cohort', () => adapter.cohort?.(query, pseudonymOf, after, first) ?? Promise.resolve({ rows: [], hasNextPage: false, endPlace: null })),
        }
      : {}),
    ...(adapter.patientsChangedSince
      ? {
          patientsChangedSince: (since, first, after) =>
            guarded('patientsChangedSince', () => adapter.patientsChangedSince?.(since, first, after) ?? Promise.resolve({ patients: [], end: null, hasNextPage: false })),
        }
      : {}),
    close: async () => {
      await adapter.close?.();
    },
  };
}

/** Node system errors (`ECONNREFUSED`, `ETIMEDOUT`) and driver errors carry a string `code`. */
function errorCodeOf(error: unknown): string | undefined {
  if (error && typeof error === 'object' && 'code' in error) {
    const { code } = error as { code?: unknown };
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}
