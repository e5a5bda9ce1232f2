import { IDENTIFIER_SYSTEMS } from '../../contracts/model/patient';

/**
 * Which `Identifier.system` URIs carry each kind of Vietnamese identifier at one FHIR server. The
 * defaults are patient-graph's own naming systems (contracts/model/patient.ts); servers that follow a
 * VN Core IG use that IG's URIs instead or as well, e.g. the HL7 Vietnam draft's
 * `http://fhir.hl7.org.vn/core/sid/cccd` (national ID) and `…/sid/bhyt` (insurance card, which that
 * IG lets hold the 10-digit BHXH code), or the MoH 2020 IG's
 * `http://fhir.ehealth.gov.vn/core/sid/insurance_number`.
 */
export interface IdentifierSystems {
  /** 12-digit personal identification number (CCCD): searched with the lookup's national IDs. */
  readonly nationalId: readonly string[];
  /** 15-character insurance card code: read, never searched (the lookup holds only BHXH codes). */
  readonly insuranceCard: readonly string[];
  /** 10-digit BHXH code: searched with the lookup's BHXH codes. */
  readonly socialInsuranceNumber: readonly string[];
}

export const DEFAULT_IDENTIFIER_SYSTEMS: IdentifierSystems = {
  nationalId: [IDENTIFIER_SYSTEMS.NATIONAL_ID],
  insuranceCard: [IDENTIFIER_SYSTEMS.INSURANCE_CARD],
  socialInsuranceNumber: [IDENTIFIER_SYSTEMS.SOCIAL_INSURANCE_NUMBER],
};
