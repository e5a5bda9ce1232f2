/** The GraphQL operation behind `Patient/{nationalId}/$everything`: what the FHIR Bundle carries. */
export const EVERYTHING_QUERY = `query FhirPatientEverything($nationalId: ID!) {
  patient(nationalId: $nationalId) {
    nationalId
    insuranceNumber
    name { full family given }
    birthDate
    gender
    deceased {
      deceased deceasedAt
      source { facilityCode facilityName system } match { method confidence }
    }
    encounters {
      id status class period { start end startAsRecorded endAsRecorded }
      diagnoses { code { system code display } role rank }
      types { system code display } serviceProvider locations
      source { facilityCode facilityName system } match { method confidence }
    }
    conditions {
      id code { system code display } clinicalStatus recordedDate encounterId
      verificationStatus categories { system code display } onsetAsRecorded
      source { facilityCode facilityName system } match { method confidence }
    }
    observations {
      id status code { system code display } valueQuantity { value unit code } valueString interpretation effectiveAsRecorded encounterId
      valueCoding { system code display } categories { system code display } issued
      components { code { system code display } valueQuantity { value unit code } valueString valueCoding { system code display } interpretation }
      source { facilityCode facilityName system } match { method confidence }
    }
    medications {
      id status medication { system code display } dosageText route authoredOn encounterId
      source { facilityCode facilityName system } match { method confidence }
    }
    procedures {
      id status code { system code display } performedAsRecorded encounterId
      source { facilityCode facilityName system } match { method confidence }
    }
    allergies {
      id code { system code display } category criticality reactionText recordedDate
      source { facilityCode facilityName system } match { method confidence }
    }
    insuranceCard {
      number status beneficiaryGroup benefitLevel provinceCode socialInsuranceNumber registeredFacilityCode validFrom validTo
      newCard { number validFrom validTo registeredFacilityCode }
    }
    insuredVisits { recordId facilityCode facilityName admittedAt dischargedAt diagnosisText dischargeStatus treatmentResult }
  }
}`;

export interface EverythingCoding { readonly system: string | null; readonly code: string; readonly display: string | null }
export interface EverythingQuantity { readonly value: number | null; readonly unit: string | null; readonly code: string | null }
export interface EverythingProvenance {
  readonly source: { readonly facilityCode: string; readonly facilityName: string; readonly system: string };
  readonly match: { readonly method: string; readonly confidence: number };
}
export interface EverythingPatient {
  readonly nationalId: string;
  readonly insuranceNumber: string | null;
  readonly name: { readonly full: string; readonly family: string | null; readonly given: readonly string[] };
  readonly birthDate: string | null;
  readonly gender: string;
  readonly deceased: readonly (EverythingProvenance & { readonly deceased: boolean; readonly deceasedAt: string | null })[];
  readonly encounters: readonly (EverythingProvenance & {
    readonly id: string; readonly status: string; readonly class: string;
    readonly period: { readonly start: string | null; readonly end: string | null; readonly startAsRecorded: string | null; readonly endAsRecorded: string | null };
    readonly diagnoses: readonly { readonly code: EverythingCoding; readonly role: string; readonly rank: number }[];
    readonly types: readonly EverythingCoding[] | null; readonly serviceProvider: string | null; readonly locations: readonly string[] | null;
  })[];
  readonly conditions: readonly (EverythingProvenance & {
    readonly id: string; readonly code: EverythingCoding; readonly clinicalStatus: string; readonly recordedDate: string | null; readonly encounterId: string | null;
    readonly verificationStatus: string | null; readonly categories: readonly EverythingCoding[] | null; readonly onsetAsRecorded: string | null;
  })[];
  readonly observations: readonly (EverythingProvenance & {
    readonly id: string; readonly status: string; readonly code: EverythingCoding;
    readonly valueQuantity: EverythingQuantity | null;
    readonly valueString: string | null; readonly interpretation: string | null; readonly effectiveAsRecorded: string | null; readonly encounterId: string | null;
    readonly valueCoding: EverythingCoding | null; readonly categories: readonly EverythingCoding[] | null; readonly issued: string | null;
    readonly components: readonly {
      readonly code: EverythingCoding; readonly valueQuantity: EverythingQuantity | null; readonly valueString: string | null;
      readonly valueCoding: EverythingCoding | null; readonly interpretation: string | null;
    }[] | null;
  })[];
  readonly medications: readonly (EverythingProvenance & {
    readonly id: string; readonly status: string; readonly medication: EverythingCoding; readonly dosageText: string | null; readonly route: string | null;
    readonly authoredOn: string | null; readonly encounterId: string | null;
  })[];
  readonly procedures: readonly (EverythingProvenance & {
    readonly id: string; readonly status: string; readonly code: EverythingCoding; readonly performedAsRecorded: string | null; readonly encounterId: string | null;
  })[];
  readonly allergies: readonly (EverythingProvenance & {
    readonly id: string; readonly code: EverythingCoding; readonly category: string | null; readonly criticality: string | null;
    readonly reactionText: string | null; readonly recordedDate: string | null;
  })[];
  /** Null when the person has no card number, the caller may not see it, or VSS could not be asked. */
  readonly insuranceCard: EverythingInsuranceCard | null;
  /** Null when VSS could not be asked (or the caller may not see it). */
  readonly insuredVisits: readonly EverythingInsuredVisit[] | null;
}

export interface EverythingInsuranceCard {
  readonly number: string; readonly status: string; readonly beneficiaryGroup: string; readonly benefitLevel: number; readonly provinceCode: string;
  readonly socialInsuranceNumber: string; readonly registeredFacilityCode: string | null; readonly validFrom: string | null; readonly validTo: string | null;
  readonly newCard: { readonly number: string; readonly validFrom: string | null; readonly validTo: string | null; readonly registeredFacilityCode: string | null } | null;
}

export interface EverythingInsuredVisit {
  readonly recordId: string; readonly facilityCode: string; readonly facilityName: string | null;
  readonly admittedAt: string | null; readonly dischargedAt: string | null; readonly diagnosisText: string | null;
  readonly dischargeStatus: string; readonly treatmentResult: string;
}
