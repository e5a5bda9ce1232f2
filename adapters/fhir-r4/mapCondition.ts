import type { Condition as FhirCondition } from '@medplum/fhirtypes';
import type { Condition, ConditionClinicalStatus } from '../../contracts/model/clinical';
import { chooseCoding, type CodeSystemAliases } from './chooseCoding';
import { conceptCode } from './conceptText';
import { FHIR_SYSTEMS } from './fhirSystems';
import { mapCodings } from './mapCodings';
import { presentFields } from './presentFields';
import { referenceId } from './referenceId';
import { toIsoDateTime } from './toIsoDateTime';
import { coarserThanDateTime, firstDateValue } from './toPartialDateTime';

const CLINICAL_STATUS: Readonly<Record<string, ConditionClinicalStatus>> = {
  active: 'ACTIVE', recurrence: 'RECURRENCE', relapse: 'RELAPSE', inactive: 'INACTIVE', remission: 'REMISSION', resolved: 'RESOLVED',
};

/**
 * A FHIR Condition (condition.html) as the contract's: `code` prefers the ICD-10 coding,
 * `clinicalStatus` from condition-clinical (absent or other → UNKNOWN), `recordedDate` as ISO with
 * offset (and `recordedAsRecorded` when written as a date only), `encounterId` from
 * `Condition.encounter`, `verificationStatus` and `category` as given,
 * `onsetDateTime` from onsetDateTime or onsetPeriod.start (an onset given as an age, a range or
 * text has no date, so it is null), and `onsetAsRecorded` at the precision written. Null for a retracted condition (see below) or
 * one without an id.
 */
export function mapCondition(condition: FhirCondition, codeSystems: CodeSystemAliases): Condition | null {
  if (typeof condition.id !== 'string' || isConditionRetracted(condition)) return null;
  const status = conceptCode(condition.clinicalStatus, FHIR_SYSTEMS.CONDITION_CLINICAL);
  const onset = firstDateValue(condition.onsetDateTime, condition.onsetPeriod?.start);
  return {
    id: condition.id,
    code: chooseCoding(condition.code, 'ICD10', codeSystems),
    clinicalStatus: (status !== undefined ? CLINICAL_STATUS[status] : undefined) ?? 'UNKNOWN',
    recordedDate: toIsoDateTime(condition.recordedDate),
    encounterId: referenceId(condition.encounter, 'Encounter') ?? null,
    ...presentFields({
      verificationStatus: conceptCode(condition.verificationStatus, FHIR_SYSTEMS.CONDITION_VERIFICATION) ?? null,
      categories: mapCodings(condition.category, codeSystems),
      onsetDateTime: toIsoDateTime(onset),
      onsetAsRecorded: coarserThanDateTime(onset),
      recordedAsRecorded: coarserThanDateTime(condition.recordedDate),
    }),
  };
}

/**
 * `Condition.verificationStatus` `entered-in-error` (recorded by mistake) or `refuted` (ruled
 * out): FHIR says such a condition is not the patient's, so it is never shown as a diagnosis.
 */
export function isConditionRetracted(condition: FhirCondition): boolean {
  const verification = conceptCode(condition.verificationStatus, FHIR_SYSTEMS.CONDITION_VERIFICATION);
  return verification === 'entered-in-error' || verification === 'refuted';
}
