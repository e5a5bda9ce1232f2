/** The GraphQL operation behind `Patient/{nationalId}/$everything`: what the FHIR Bundle carries. */
export const EVERYTHING_QUERY = `query FhirPatientEverything($nationalId: ID!) {
  patient(nationalId: $nationalId) {
    nationalId
    insuranceNumber
    name { full family given }
    birthDate
    gender
    encounters {
      id status class period { start end }
      diagnoses { code { system code display } role rank }
      source { facilityCode facilityName system } match { method confidence }
    }
    conditions {
      id code { system code display } clinicalStatus recordedDate encounterId
      source { facilityCode facilityName system } match { method confidence }
    }
    observations {
      id status code { system code display } valueQuantity { value unit code } valueString interpretation effectiveDateTime encounterId
      source { facilityCode facilityName system } match { method confidence }
    }
    medications {
      id status medication { system code display } dosageText route authoredOn encounterId
      source { facilityCode facilityName system } match { method confidence }
    }
    procedures {
      id status code { system code display } performedDateTime encounterId
      source { facilityCode facilityName system } match { method confidence }
    }
    allergies {
      id code { system code display } category criticality reactionText recordedDate
      source { facilityCode facilityName system } match { method confidence }
    }
  }
}`;

export interface EverythingCoding { readonly system: string | null; readonly code: string; readonly display: string | null }
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
  readonly encounters: readonly (EverythingProvenance & {
    readonly id: string; readonly status: string; readonly class: string;
    readonly period: { readonly start: string | null; readonly end: string | null };
    readonly diagnoses: readonly { readonly code: EverythingCoding; readonly role: string; readonly rank: number }[];
  })[];
  readonly conditions: readonly (EverythingProvenance & {
    readonly id: string; readonly code: EverythingCoding; readonly clinicalStatus: string; readonly recordedDate: string | null; readonly encounterId: string | null;
  })[];
  readonly observations: readonly (EverythingProvenance & {
    readonly id: string; readonly status: string; readonly code: EverythingCoding;
    readonly valueQuantity: { readonly value: number | null; readonly unit: string | null; readonly code: string | null } | null;
    readonly valueString: string | null; readonly interpretation: string | null; readonly effectiveDateTime: string | null; readonly encounterId: string | null;
  })[];
  readonly medications: readonly (EverythingProvenance & {
    readonly id: string; readonly status: string; readonly medication: EverythingCoding; readonly dosageText: string | null; readonly route: string | null;
    readonly authoredOn: string | null; readonly encounterId: string | null;
  })[];
  readonly procedures: readonly (EverythingProvenance & {
    readonly id: string; readonly status: string; readonly code: EverythingCoding; readonly performedDateTime: string | null; readonly encounterId: string | null;
  })[];
  readonly allergies: readonly (EverythingProvenance & {
    readonly id: string; readonly code: EverythingCoding; readonly category: string | null; readonly criticality: string | null;
    readonly reactionText: string | null; readonly recordedDate: string | null;
  })[];
}
