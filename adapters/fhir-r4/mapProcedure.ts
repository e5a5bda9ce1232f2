import type { Procedure as FhirProcedure } from '@medplum/fhirtypes';
import type { Procedure, ProcedureStatus } from '../../contracts/model/clinical';
import { chooseCoding, type CodeSystemAliases } from './chooseCoding';
import { referenceId } from './referenceId';
import { toIsoDateTime } from './toIsoDateTime';
import { presentFields } from './presentFields';
import { coarserThanDateTime, firstDateValue } from './toPartialDateTime';

/** Procedure.status (R4 event-status); `not-done` and `on-hold` have no contract value: UNKNOWN. */
const STATUS: Readonly<Record<string, ProcedureStatus>> = {
  preparation: 'PREPARATION', 'in-progress': 'IN_PROGRESS', completed: 'COMPLETED', stopped: 'STOPPED',
};

/**
 * A FHIR Procedure (procedure.html) as the contract's: the first coding of `Procedure.code` (ICD-9-CM
 * or a DMDC service code, as the source has it), the time from `performedDateTime`, else
 * `performedPeriod.start`. Null when `entered-in-error` or without an id.
 */
export function mapProcedure(procedure: FhirProcedure, codeSystems: CodeSystemAliases): Procedure | null {
  if (typeof procedure.id !== 'string' || procedure.status === 'entered-in-error') return null;
  const performed = firstDateValue(procedure.performedDateTime, procedure.performedPeriod?.start);
  return {
    id: procedure.id,
    status: STATUS[procedure.status] ?? 'UNKNOWN',
    code: chooseCoding(procedure.code, 'FIRST', codeSystems),
    performedDateTime: toIsoDateTime(performed),
    encounterId: referenceId(procedure.encounter, 'Encounter') ?? null,
    ...presentFields({ performedAsRecorded: coarserThanDateTime(performed) }),
  };
}
