/**
 * Terminology the FHIR R4 mapping reads and the demo FHIR hospital writes: HL7 terminology code
 * systems (http://terminology.hl7.org) named by the R4 elements they bind, plus the one local
 * system of the demo (departments).
 */
export const FHIR_SYSTEMS = {
  /** Encounter.class (v3 ActCode: AMB, IMP, EMER, SS, …). */
  V3_ACT_CODE: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  /** Condition.clinicalStatus. */
  CONDITION_CLINICAL: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  /** Condition.verificationStatus. */
  CONDITION_VERIFICATION: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  /** Condition.category (`encounter-diagnosis`, `problem-list-item`). */
  CONDITION_CATEGORY: 'http://terminology.hl7.org/CodeSystem/condition-category',
  /** AllergyIntolerance.clinicalStatus. */
  ALLERGY_CLINICAL: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical',
  /** AllergyIntolerance.verificationStatus. */
  ALLERGY_VERIFICATION: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification',
  /** Encounter.diagnosis.use (AD, DD, CC, CM, pre-op, post-op, billing). */
  DIAGNOSIS_ROLE: 'http://terminology.hl7.org/CodeSystem/diagnosis-role',
  /** Observation.interpretation (H, L, N, …). */
  OBSERVATION_INTERPRETATION: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  /** Stands in for a code a source did not give (a CodeableConcept with text only). */
  DATA_ABSENT_REASON: 'http://terminology.hl7.org/CodeSystem/data-absent-reason',
  /** Department codes (QĐ 130 MA_KHOA) as `Encounter.location.location.identifier`. */
  VN_DEPARTMENT: 'urn:oid:vn:moh:ma-khoa',
} as const;
