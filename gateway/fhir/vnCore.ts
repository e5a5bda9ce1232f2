/** MoH draft VN Core FHIR IG (1.0.0 CI build): canonical base, Patient profile and NamingSystems. */
export const VN_CORE = {
  PATIENT_PROFILE: 'http://fhir.ehealth.gov.vn/core/StructureDefinition/vn-core-patient',
  INSURANCE_NUMBER: 'http://fhir.ehealth.gov.vn/core/sid/insurance_number',
} as const;
