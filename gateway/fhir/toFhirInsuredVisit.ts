import type { Encounter } from '@medplum/fhirtypes';
import type { EverythingInsuredVisit } from './everythingQuery';
import { fhirId, FACILITY_SYSTEM, VSS_SOURCE } from './fhirId';

/** VSS record ids (maHoSo) as FHIR identifiers (the project's naming system). */
export const VSS_RECORD_SYSTEM = 'urn:oid:vn:vss:record-id';
const DISCHARGE_DISPOSITION = 'http://terminology.hl7.org/CodeSystem/discharge-disposition';
const NULL_FLAVOR = 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor';

/** tinhTrang → discharge-disposition: discharged home, transferred, or left (absconded, on request) against advice. */
const DISPOSITION: Readonly<Record<string, { code: string; display: string }>> = {
  DISCHARGED: { code: 'home', display: 'Home' },
  TRANSFERRED: { code: 'other-hcf', display: 'Other healthcare facility' },
  ABSCONDED: { code: 'aadvice', display: 'Left against advice' },
  LEFT_ON_REQUEST: { code: 'aadvice', display: 'Left against advice' },
};
const RESULT_TEXT: Readonly<Record<string, string>> = { CURED: 'cured', IMPROVED: 'improved', UNCHANGED: 'unchanged', WORSE: 'worse', DIED: 'died' };

/**
 * One visit of the VSS national history (dsLichSuKCB2018) as a FHIR R4 Encounter (encounter.html):
 * the history says that a visit took place — where, when, with which diagnoses, how it ended — which
 * is what an Encounter records. ExplanationOfBenefit would fit a claim's adjudication (items,
 * amounts, insurer's decision), none of which the history carries, and EpisodeOfCare a care
 * responsibility over time. The facility is `serviceProvider`, the diagnoses (text only) are the
 * `diagnosis` display, how it ended is `hospitalization.dischargeDisposition` (the treatment result
 * in its text; died → `exp`). The class is not in the history: v3-NullFlavor UNK. Pure.
 */
export function toFhirInsuredVisit(visit: EverythingInsuredVisit, subject: { reference: string }): Encounter {
  const disposition = visit.treatmentResult === 'DIED' ? { code: 'exp', display: 'Expired' } : DISPOSITION[visit.dischargeStatus];
  const result = RESULT_TEXT[visit.treatmentResult];
  const dispositionText = [visit.dischargeStatus.toLowerCase().replace(/_/g, ' '), result ? `treatment result: ${result}` : undefined].filter(Boolean).join('; ');
  return {
    resourceType: 'Encounter',
    id: fhirId(`vss-${visit.recordId}`),
    meta: { source: VSS_SOURCE },
    identifier: [{ system: VSS_RECORD_SYSTEM, value: visit.recordId }],
    status: visit.dischargedAt ? 'finished' : 'unknown',
    class: { system: NULL_FLAVOR, code: 'UNK', display: 'unknown' },
    subject,
    ...(visit.admittedAt || visit.dischargedAt
      ? { period: { ...(visit.admittedAt ? { start: visit.admittedAt } : {}), ...(visit.dischargedAt ? { end: visit.dischargedAt } : {}) } }
      : {}),
    ...(visit.diagnosisText ? { diagnosis: [{ condition: { display: visit.diagnosisText } }] } : {}),
    hospitalization: { dischargeDisposition: { ...(disposition ? { coding: [{ system: DISCHARGE_DISPOSITION, ...disposition }] } : {}), text: dispositionText } },
    serviceProvider: { identifier: { system: FACILITY_SYSTEM, value: visit.facilityCode }, ...(visit.facilityName ? { display: visit.facilityName } : {}) },
  };
}
