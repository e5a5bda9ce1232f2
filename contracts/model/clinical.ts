import type * as Contract from '../generated/clinicalContract';

/**
 * Clinical record types as adapters produce them, derived from the clinical contract's generated
 * types (contracts/generated/clinicalContract.ts, `npm run codegen` from
 * contracts/clinical.graphql) — no hand copy to drift. Adapters produce them without
 * `source`/`match` (the SDK adds provenance) and with local ids (the SDK prefixes the facility
 * code); the FHIR-only fields a HIS or a QĐ 130 file never has may be left out (the contract
 * answers null).
 */
type FromSource<T, Optional extends keyof T = never> = Omit<T, 'source' | 'match' | Optional> & { readonly [K in Optional]?: T[K] };

export type Coding = Contract.Coding;
export type Quantity = Contract.Quantity;
export type Period = FromSource<Contract.Period, 'startAsRecorded' | 'endAsRecorded'>;

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

export type EncounterStatus = Contract.EncounterStatus;
export type EncounterClass = Contract.EncounterClass;
export type DiagnosisRole = Contract.DiagnosisRole;
export type EncounterDiagnosis = Contract.EncounterDiagnosis;
export type EncounterCost = Contract.EncounterCost;
export type Encounter = Omit<FromSource<Contract.Encounter, 'identifiers' | 'types' | 'serviceProvider' | 'locations'>, 'period'> & { readonly period: Period };

export type ConditionClinicalStatus = Contract.ConditionClinicalStatus;
export type Condition = FromSource<Contract.Condition, 'verificationStatus' | 'categories' | 'onsetDateTime' | 'onsetAsRecorded' | 'recordedAsRecorded'>;

export type ObservationStatus = Contract.ObservationStatus;
export type ObservationComponent = Contract.ObservationComponent;
export type Observation = FromSource<Contract.Observation, 'referenceRange' | 'valueCoding' | 'components' | 'categories' | 'issued' | 'effectiveAsRecorded'>;

export type MedicationRequestStatus = Contract.MedicationRequestStatus;
export type MedicationRequest = FromSource<Contract.MedicationRequest, 'authoredAsRecorded'>;

export type ProcedureStatus = Contract.ProcedureStatus;
export type Procedure = FromSource<Contract.Procedure, 'performedAsRecorded'>;

export type AllergyCategory = Contract.AllergyCategory;
export type AllergyCriticality = Contract.AllergyCriticality;
export type AllergyIntolerance = FromSource<Contract.AllergyIntolerance, 'recordedAsRecorded'>;

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
export type SourceRef = Contract.Source;

export type MatchMethod = Contract.MatchMethod;

/** Contract type `Match`; `agreed` may be left out by a matcher that has nothing to add. */
export type PatientMatch = FromSource<Contract.Match, 'agreed'>;

/**
 * What one source reports for a main diagnosis: its true count. Not the contract's `DiagnosisCount`,
 * whose disclosure fields (suppressed, rounded) the gateway fills in after merging (docs/analytics.md).
 */
export interface DiagnosisCount {
  readonly code: string;
  readonly display: string | null;
  readonly encounters: number;
}

/** An identifier of a record at its source (contract type `RecordIdentifier`, FHIR Identifier). */
export type RecordIdentifier = Contract.RecordIdentifier;

/** A normal range of a result (contract type `ReferenceRange`). */
export type ReferenceRange = Contract.ReferenceRange;
