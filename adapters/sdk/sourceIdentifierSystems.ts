import { IDENTIFIER_SYSTEMS } from '../../contracts/model/patient';

/**
 * Systems of the identifiers adapters read from fixed fields (contract `Patient.sourceIdentifiers`).
 * The MoH's draft VN Core FHIR IG (docs/standards.md §8) names a NamingSystem for the insurance number,
 * `http://fhir.ehealth.gov.vn/core/sid/insurance_number`, and none for the CCCD, so the national ID
 * keeps patient-graph's own `urn:oid:vn:national-id` (as the FHIR `$everything` Patient does,
 * README "FHIR"). Other identifiers carry the system the source declares (a sql-his mapping's
 * `identifiers[].system`, a FHIR server's `Identifier.system`).
 */
export const SOURCE_IDENTIFIER_SYSTEMS = {
  /** 12-digit personal identification number (CCCD). */
  NATIONAL_ID: IDENTIFIER_SYSTEMS.NATIONAL_ID,
  /** The insurance card code (15 characters) or bare BHXH code, as the source holds it. */
  INSURANCE_NUMBER: 'http://fhir.ehealth.gov.vn/core/sid/insurance_number',
  /** The old 9-digit identity card number (CMND), as the demo vendor mapping names it. */
  OLD_ID_CARD: 'urn:vn:cmnd',
  /** An identity document number of unstated kind (QĐ 130 XML1 SO_CCCD that is not a 12-digit CCCD). */
  IDENTITY_DOCUMENT: 'urn:vn:identity-document',
  /** The facility's own patient code (QĐ 130 MA_BN, a HIS patient id); unique within the facility of `source`. */
  MEDICAL_RECORD_NUMBER: IDENTIFIER_SYSTEMS.MEDICAL_RECORD_NUMBER,
} as const;
