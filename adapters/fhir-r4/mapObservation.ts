import type { Observation as FhirObservation, ObservationComponent as FhirObservationComponent } from '@medplum/fhirtypes';
import type { Coding, Observation, ObservationComponent, ObservationStatus, Quantity } from '../../contracts/model/clinical';
import { chooseCoding, type CodeSystemAliases } from './chooseCoding';
import { conceptCode, conceptText } from './conceptText';
import { FHIR_SYSTEMS } from './fhirSystems';
import { mapCodedValue, mapCodings } from './mapCodings';
import { presentFields } from './presentFields';
import { referenceId } from './referenceId';
import { toIsoDateTime } from './toIsoDateTime';
import { coarserThanDateTime, firstDateValue } from './toPartialDateTime';
import { toQuantity } from './toQuantity';

/** Observation.status (R4 observation-status); `corrected` is a kind of `amended`. */
const STATUS: Readonly<Record<string, ObservationStatus>> = {
  registered: 'REGISTERED', preliminary: 'PRELIMINARY', final: 'FINAL', amended: 'AMENDED', corrected: 'AMENDED', cancelled: 'CANCELLED',
};

/**
 * A FHIR Observation (observation.html) as the contract's: `code` prefers the LOINC coding;
 * `valueQuantity` (or `valueInteger`) with its unit; `valueString` (or a coded result's text);
 * `interpretation` as its v3-ObservationInterpretation code (H, L, N…) or text; the time from
 * `effectiveDateTime`, else `effectivePeriod.start`, else `effectiveInstant`. A coded result
 * (`valueCodeableConcept`) keeps its code in `valueCoding` and its text in `valueString`; the
 * parts of a multi-part result (`component`, e.g. a blood pressure with no value of its own) are
 * `components`; `category` and `issued` are kept. Null for a result `entered-in-error`
 * (observation-status: never to be used) or without an id.
 */
export function mapObservation(observation: FhirObservation, codeSystems: CodeSystemAliases): Observation | null {
  if (typeof observation.id !== 'string' || observation.status === 'entered-in-error') return null;
  const components = (Array.isArray(observation.component) ? observation.component : [])
    .filter((component): component is FhirObservationComponent => component !== null && typeof component === 'object')
    .map((component) => mapComponent(component, codeSystems));
  const { valueCoding, ...value } = valueOf(observation, codeSystems);
  const effective = firstDateValue(observation.effectiveDateTime, observation.effectivePeriod?.start, observation.effectiveInstant);
  return {
    id: observation.id,
    status: STATUS[observation.status] ?? 'UNKNOWN',
    code: chooseCoding(observation.code, 'LOINC', codeSystems),
    ...value,
    interpretation: interpretationOf(observation.interpretation),
    effectiveDateTime: toIsoDateTime(effective),
    encounterId: referenceId(observation.encounter, 'Encounter') ?? null,
    ...presentFields({
      valueCoding,
      components,
      categories: mapCodings(observation.category, codeSystems),
      issued: toIsoDateTime(observation.issued),
      effectiveAsRecorded: coarserThanDateTime(effective),
    }),
  };
}

/** The value[x] of an Observation or of one of its components, in the contract's three value fields. */
function valueOf(
  value: Pick<FhirObservation, 'valueQuantity' | 'valueInteger' | 'valueString' | 'valueCodeableConcept' | 'valueBoolean'>,
  codeSystems: CodeSystemAliases,
): { valueQuantity: Quantity | null; valueString: string | null; valueCoding: Coding | null } {
  const text = typeof value.valueString === 'string' ? value.valueString : typeof value.valueBoolean === 'boolean' ? String(value.valueBoolean) : null;
  return {
    valueQuantity: toQuantity(value.valueQuantity) ?? (typeof value.valueInteger === 'number' ? { value: value.valueInteger, unit: null, code: null } : null),
    valueString: text ?? conceptText(value.valueCodeableConcept),
    valueCoding: mapCodedValue(value.valueCodeableConcept, codeSystems),
  };
}

function mapComponent(component: FhirObservationComponent, codeSystems: CodeSystemAliases): ObservationComponent {
  return { code: chooseCoding(component.code, 'LOINC', codeSystems), ...valueOf(component, codeSystems), interpretation: interpretationOf(component.interpretation) };
}

/** Observation.interpretation as its v3-ObservationInterpretation code (H, L, N…) or text. */
function interpretationOf(interpretations: FhirObservation['interpretation']): string | null {
  const interpretation = Array.isArray(interpretations) ? interpretations[0] : undefined;
  return conceptCode(interpretation, FHIR_SYSTEMS.OBSERVATION_INTERPRETATION) ?? conceptText(interpretation);
}
