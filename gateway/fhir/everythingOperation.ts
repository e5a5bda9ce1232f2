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
      id code { system code display } clinicalStatus recordedAsRecorded encounterId
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
      id status medication { system code display } dosageText route authoredAsRecorded encounterId
      source { facilityCode facilityName system } match { method confidence }
    }
    procedures {
      id status code { system code display } performedAsRecorded encounterId
      source { facilityCode facilityName system } match { method confidence }
    }
    allergies {
      id code { system code display } category criticality reactionText recordedAsRecorded
      source { facilityCode facilityName system } match { method confidence }
    }
    insuranceCard {
      number status beneficiaryGroup benefitLevel provinceCode socialInsuranceNumber registeredFacilityCode validFrom validTo
      newCard { number validFrom validTo registeredFacilityCode }
    }
    insuredVisits { recordId facilityCode facilityName admittedAt dischargedAt diagnosisText dischargeStatus treatmentResult }
  }
}`;
