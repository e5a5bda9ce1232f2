import type { AllergyIntolerance, Condition, MedicationRequest, Observation, Period, Procedure } from '../../contracts/model/clinical';
import type { PartialDateTime } from '../../contracts/model/patient';

/**
 * The clinical contract's `…AsRecorded` fields (scalar `PartialDateTime`): the value at the precision
 * the source recorded it. An adapter that keeps partial dates (FHIR `2012-05-24`) sets them; for one
 * that does not (SQL-HIS, QĐ 130: their columns hold full timestamps), the `DateTime` sibling is
 * exactly what was recorded, so it is the answer. One rule for every source, in the SDK.
 */
export const AS_RECORDED_RESOLVERS = {
  Period: {
    startAsRecorded: (period: Period): PartialDateTime | null => period.startAsRecorded ?? period.start,
    endAsRecorded: (period: Period): PartialDateTime | null => period.endAsRecorded ?? period.end,
  },
  Condition: {
    onsetAsRecorded: (condition: Condition): PartialDateTime | null => condition.onsetAsRecorded ?? condition.onsetDateTime ?? null,
    recordedAsRecorded: (condition: Condition): PartialDateTime | null => condition.recordedAsRecorded ?? condition.recordedDate,
  },
  Observation: {
    effectiveAsRecorded: (observation: Observation): PartialDateTime | null => observation.effectiveAsRecorded ?? observation.effectiveDateTime,
  },
  Procedure: {
    performedAsRecorded: (procedure: Procedure): PartialDateTime | null => procedure.performedAsRecorded ?? procedure.performedDateTime,
  },
  MedicationRequest: {
    authoredAsRecorded: (request: MedicationRequest): PartialDateTime | null => request.authoredAsRecorded ?? request.authoredOn,
  },
  AllergyIntolerance: {
    recordedAsRecorded: (allergy: AllergyIntolerance): PartialDateTime | null => allergy.recordedAsRecorded ?? allergy.recordedDate,
  },
};
