import type * as Identity from '../generated/identityContract';

/**
 * Patient-side types shared by the contracts (FHIR Patient / HumanName / Identifier shapes, as in
 * contracts/identity.graphql). Dates are ISO strings: `Date` = `YYYY-MM-DD`,
 * `DateTime` = ISO 8601 with offset (`+07:00` for Viet Nam time).
 */
export type IsoDate = string;
export type IsoDateTime = string;
/** FHIR `dateTime` at the precision recorded: `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or an `IsoDateTime`. */
export type PartialDateTime = string;

/** What a record says of the patient's death (FHIR Patient.deceased[x]; contract type `DeceasedStatus`). */
export interface DeceasedRecord {
  readonly deceased: boolean;
  /** When, at the precision recorded; null when the record gives only the fact. */
  readonly deceasedAt: PartialDateTime | null;
}

// The identity contract's types, generated from its SDL (`npm run codegen`), not copied by hand.
export type AdministrativeGender = Identity.AdministrativeGender;
export type HumanName = Identity.HumanName;
export type IdentifierType = Identity.IdentifierType;
export type Identifier = Identity.Identifier;

/** Identifier namespace URIs (FHIR Identifier.system), following the VN Core IG naming systems. */
export const IDENTIFIER_SYSTEMS = {
  NATIONAL_ID: 'urn:oid:vn:national-id',
  INSURANCE_CARD: 'urn:oid:vn:bhyt-card',
  SOCIAL_INSURANCE_NUMBER: 'urn:oid:vn:bhxh-code',
  MEDICAL_RECORD_NUMBER: 'urn:oid:vn:facility-mrn',
} as const satisfies Record<IdentifierType, string>;

/**
 * What the gateway knows about a patient when it asks a hospital (the `@requires`d locator and
 * match keys of the clinical contract, as they arrive in an `_entities` representation).
 */
export interface PatientKeys {
  readonly nationalId: string;
  readonly insuranceNumber: string | null;
  readonly fullName: string | null;
  readonly birthDate: IsoDate | null;
  readonly gender: AdministrativeGender | null;
}
