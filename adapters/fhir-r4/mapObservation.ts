import type { Observation as FhirObservation } from '@medplum/fhirtypes';
import type { Observation, ObservationStatus } from '../../core/model/clinical';
import { chooseCoding, type CodeSystemAliases } from './chooseCoding';
import { conceptCode, conceptText } from './conceptText';
import { FHIR_SYSTEMS } from './fhirSystems';
import { referenceId } from './referenceId';
import { toIsoDateTime } from './toIsoDateTime';
import { toQuantity } from './toQuantity';

/** Observation.status (R4 observation-status); `corrected` is a kind of `amended`. */
const STATUS: Readonly<Record<string, ObservationStatus>> = {
  registered: 'REGISTERED', preliminary: 'PRELIMINARY', final: 'FINAL', amended: 'AMENDED', corrected: 'AMENDED', cancelled: 'CANCELLED',
};

/**
 * A FHIR Observation (observation.html) as the contract's: `code` prefers the LOINC coding;
 * `valueQuantity` (or `valueInteger`) with its unit; `valueString` (or a coded result's text);
 * `interpretation` as its v3-ObservationInterpretation code (H, L, N…) or text; the time from
 * `effectiveDateTime`, else `effectivePeriod.start`, else `effectiveInstant`. Null for a result
 * `entered-in-error` (observation-status: never to be used) or without an id.
 */
export function mapObservation(observation: FhirObservation, codeSystems: CodeSystemAliases): Observation | null {
  if (typeof observation.id !== 'string' || observation.status === 'entered-in-error') return null;
  const interpretation = Array.isArray(observation.interpretation) ? observation.interpretation[0] : undefined;
  return {
    id: observation.id,
    status: STATUS[observation.status] ?? 'UNKNOWN',
    code: chooseCoding(observation.code, 'LOINC', codeSystems),
    valueQuantity: toQuantity(observation.valueQuantity)
      ?? (typeof observation.valueInteger === 'number' ? { value: observation.valueInteger, unit: null, code: null } : null),
    valueString: (typeof observation.valueString === 'string' ? observation.valueString : null) ?? conceptText(observation.valueCodeableConcept),
    interpretation: conceptCode(interpretation, FHIR_SYSTEMS.OBSERVATION_INTERPRETATION) ?? conceptText(interpretation),
    effectiveDateTime: toIsoDateTime(observation.effectiveDateTime) ?? toIsoDateTime(observation.effectivePeriod?.start)
      ?? toIsoDateTime(observation.effectiveInstant),
    encounterId: referenceId(observation.encounter, 'Encounter') ?? null,
  };
}
