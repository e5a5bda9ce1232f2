import type { IsoDateTime } from './patient';

/**
 * Clinical record types as the clinical contract exposes them (subgraphs/clinical/schema.graphql),
 * FHIR R4-shaped. Adapters produce them without `source`/`match` (the SDK adds provenance) and with
 * local ids (the SDK prefixes the facility code).
 */
export interface Coding {
  readonly system: string | null;
  readonly code: string;
  readonly display: string | null;
}

export interface Period {
  readonly start: IsoDateTime | null;
  readonly end: IsoDateTime | null;
}

export interface Quantity {
  readonly value: number | null;
  readonly unit: string | null;
  readonly code: string | null;
}

export const CODE_SYSTEMS = {
  ICD10: 'http://hl7.org/fhir/sid/icd-10',
  ICD9CM: 'http://hl7.org/fhir/sid/icd-9-cm',
  LOINC: 'http://loinc.org',
  UCUM: 'http://unitsofmeasure.org',
  /** Common DMDC catalogue of the Ministry of Health (QĐ 7603: services, CLS indicators; drugs). */
  VN_DMDC_SERVICE: 'urn:oid:vn:moh:dmdc:dvkt',
  VN_DMDC_DRUG: 'urn:oid:vn:moh:dmdc:thuoc',
  VN_DMDC_INDICATOR: 'urn:oid:vn:moh:dmdc:chi-so',
} as const;

export type EncounterStatus = 'PLANNED' | 'IN_PROGRESS' | 'FINISHED' | 'CANCELLED' | 'UNKNOWN';
export type EncounterClass = 'AMBULATORY' | 'INPATIENT' | 'EMERGENCY' | 'SHORT_STAY' | 'OTHER';
export type DiagnosisRole = 'PRIMARY' | 'SECONDARY';

export interface EncounterDiagnosis {
  readonly code: Coding;
  readonly role: DiagnosisRole;
  readonly rank: number;
}

export interface EncounterCost {
  readonly total: number | null;
  readonly insurancePaid: number | null;
  readonly patientCoPay: number | null;
  readonly patientSelfPay: number | null;
  readonly insuranceCardUsed: string | null;
}

export interface Encounter {
  readonly id: string;
  readonly status: EncounterStatus;
  readonly class: EncounterClass;
  readonly period: Period;
  readonly reasonText: string | null;
  readonly diagnoses: readonly EncounterDiagnosis[];
  readonly departmentCodes: readonly string[];
  readonly cost: EncounterCost | null;
}

export type ConditionClinicalStatus = 'ACTIVE' | 'RECURRENCE' | 'RELAPSE' | 'INACTIVE' | 'REMISSION' | 'RESOLVED' | 'UNKNOWN';

export interface Condition {
  readonly id: string;
  readonly code: Coding;
  readonly clinicalStatus: ConditionClinicalStatus;
  readonly recordedDate: IsoDateTime | null;
  readonly encounterId: string | null;
}

export type ObservationStatus = 'REGISTERED' | 'PRELIMINARY' | 'FINAL' | 'AMENDED' | 'CANCELLED' | 'UNKNOWN';

export interface Observation {
  readonly id: string;
  readonly status: ObservationStatus;
  readonly code: Coding;
  readonly valueQuantity: Quantity | null;
  readonly valueString: string | null;
  readonly interpretation: string | null;
  readonly effectiveDateTime: IsoDateTime | null;
  readonly encounterId: string | null;
}

export type MedicationRequestStatus = 'ACTIVE' | 'COMPLETED' | 'CANCELLED' | 'STOPPED' | 'UNKNOWN';

export interface MedicationRequest {
  readonly id: string;
  readonly status: MedicationRequestStatus;
  readonly medication: Coding;
  readonly dosageText: string | null;
  readonly quantity: Quantity | null;
  readonly route: string | null;
  readonly authoredOn: IsoDateTime | null;
  readonly encounterId: string | null;
}

export type ProcedureStatus = 'PREPARATION' | 'IN_PROGRESS' | 'COMPLETED' | 'STOPPED' | 'UNKNOWN';

export interface Procedure {
  readonly id: string;
  readonly status: ProcedureStatus;
  readonly code: Coding;
  readonly performedDateTime: IsoDateTime | null;
  readonly encounterId: string | null;
}

export type AllergyCategory = 'FOOD' | 'MEDICATION' | 'ENVIRONMENT' | 'BIOLOGIC';
export type AllergyCriticality = 'LOW' | 'HIGH' | 'UNABLE_TO_ASSESS';

export interface AllergyIntolerance {
  readonly id: string;
  readonly code: Coding;
  readonly category: AllergyCategory | null;
  readonly criticality: AllergyCriticality | null;
  readonly reactionText: string | null;
  readonly recordedDate: IsoDateTime | null;
}

/** The clinical lists of `Patient` in the clinical contract, by field name. */
export interface ClinicalResources {
  readonly encounters: Encounter;
  readonly conditions: Condition;
  readonly observations: Observation;
  readonly medications: MedicationRequest;
  readonly procedures: Procedure;
  readonly allergies: AllergyIntolerance;
}

export type ClinicalResourceKind = keyof ClinicalResources;

export const CLINICAL_RESOURCE_KINDS: readonly ClinicalResourceKind[] = [
  'encounters', 'conditions', 'observations', 'medications', 'procedures', 'allergies',
];

/** Provenance of every clinical item (contract type `Source`). */
export interface SourceRef {
  readonly facilityCode: string;
  readonly facilityName: string;
  readonly system: string;
}

export type MatchMethod = 'NATIONAL_ID' | 'INSURANCE_NUMBER' | 'DEMOGRAPHICS';

export interface PatientMatch {
  readonly method: MatchMethod;
  readonly confidence: number;
  /** The fields that agreed (`nationalId`, `insuranceNumber`, or the demographic fields the matcher compared). */
  readonly agreed?: readonly string[];
}

export interface DiagnosisCount {
  readonly code: string;
  readonly display: string | null;
  readonly encounters: number;
}
