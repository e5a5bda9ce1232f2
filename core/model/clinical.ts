import type { AdministrativeGender, IsoDateTime, PartialDateTime } from './patient';

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
  /** `start` at the precision the source recorded it (`2012-05-24`); absent: `start` is exact. */
  readonly startAsRecorded?: PartialDateTime | null;
  /** `end` at the precision the source recorded it; absent: `end` is exact. */
  readonly endAsRecorded?: PartialDateTime | null;
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
  /** The source's own codes for the encounter; absent when the source keeps none. */
  readonly identifiers?: readonly RecordIdentifier[];
  /** FHIR Encounter.type (kind of visit, e.g. SNOMED CT); absent when the source has no such field. */
  readonly types?: readonly Coding[] | null;
  /** FHIR Encounter.serviceProvider: the organization responsible, by name or identifier. */
  readonly serviceProvider?: string | null;
  /** FHIR Encounter.location: where the patient was, by name. */
  readonly locations?: readonly string[] | null;
}

export type ConditionClinicalStatus = 'ACTIVE' | 'RECURRENCE' | 'RELAPSE' | 'INACTIVE' | 'REMISSION' | 'RESOLVED' | 'UNKNOWN';

export interface Condition {
  readonly id: string;
  readonly code: Coding;
  readonly clinicalStatus: ConditionClinicalStatus;
  readonly recordedDate: IsoDateTime | null;
  readonly encounterId: string | null;
  /** FHIR Condition.verificationStatus code (unconfirmed, provisional, differential, confirmed). */
  readonly verificationStatus?: string | null;
  /** FHIR Condition.category (encounter-diagnosis, problem-list-item, …). */
  readonly categories?: readonly Coding[] | null;
  /** FHIR Condition.onset[x] when it is a date or time (onsetDateTime, onsetPeriod.start). */
  readonly onsetDateTime?: IsoDateTime | null;
  /** `onsetDateTime` at the precision the source recorded it; absent: `onsetDateTime` is exact. */
  readonly onsetAsRecorded?: PartialDateTime | null;
}

export type ObservationStatus = 'REGISTERED' | 'PRELIMINARY' | 'FINAL' | 'AMENDED' | 'CANCELLED' | 'UNKNOWN';

export interface Observation {
  readonly id: string;
  readonly status: ObservationStatus;
  readonly code: Coding;
  readonly valueQuantity: Quantity | null;
  readonly valueString: string | null;
  readonly interpretation: string | null;
  /** Normal ranges (one per sex when the source keeps them apart); absent when the source has none. */
  readonly referenceRange?: readonly ReferenceRange[];
  readonly effectiveDateTime: IsoDateTime | null;
  readonly encounterId: string | null;
  /** A coded result (FHIR valueCodeableConcept), with its code. */
  readonly valueCoding?: Coding | null;
  /** The parts of a multi-part result (FHIR Observation.component), e.g. systolic and diastolic pressure. */
  readonly components?: readonly ObservationComponent[] | null;
  /** FHIR Observation.category (vital-signs, laboratory, …). */
  readonly categories?: readonly Coding[] | null;
  /** FHIR Observation.issued: when the result was made available. */
  readonly issued?: IsoDateTime | null;
  /** `effectiveDateTime` at the precision the source recorded it; absent: `effectiveDateTime` is exact. */
  readonly effectiveAsRecorded?: PartialDateTime | null;
}

/** One part of a multi-part result (FHIR Observation.component). */
export interface ObservationComponent {
  readonly code: Coding;
  readonly valueQuantity: Quantity | null;
  readonly valueString: string | null;
  readonly valueCoding: Coding | null;
  readonly interpretation: string | null;
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
  /** `performedDateTime` at the precision the source recorded it; absent: `performedDateTime` is exact. */
  readonly performedAsRecorded?: PartialDateTime | null;
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
  /** MATCH: the person's record; POSSIBLE_MATCH: only asked for with `includePossibleMatches`, may be someone else's. */
  readonly decision: 'MATCH' | 'POSSIBLE_MATCH';
  readonly confidence: number;
  /** The fields that agreed (`nationalId`, `insuranceNumber`, or the demographic fields the matcher compared). */
  readonly agreed?: readonly string[];
}

export interface DiagnosisCount {
  readonly code: string;
  readonly display: string | null;
  readonly encounters: number;
}

/** An identifier of a record at its source (contract type `RecordIdentifier`, FHIR Identifier). */
export interface RecordIdentifier {
  readonly system: string;
  readonly value: string;
}

/** A normal range of a result (contract type `ReferenceRange`). */
export interface ReferenceRange {
  readonly low: number | null;
  readonly high: number | null;
  readonly text: string | null;
  readonly appliesTo: AdministrativeGender | null;
}
