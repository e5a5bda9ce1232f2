import type { FhirPatientEverythingQuery } from './generated/everythingOperation';

export { EVERYTHING_QUERY } from './everythingOperation';

/**
 * The answer of `EVERYTHING_QUERY`, typed by GraphQL Code Generator from the supergraph's client API
 * (gateway/fhir/generated/, `npm run codegen`): a field the query asks for that the schema changes
 * breaks the FHIR mapping at compile time. The names below are views of that one generated type.
 */
export type EverythingPatient = NonNullable<FhirPatientEverythingQuery['patient']>;
type EverythingEncounter = EverythingPatient['encounters'][number];
export type EverythingCoding = EverythingEncounter['diagnoses'][number]['code'];
export type EverythingProvenance = Pick<EverythingEncounter, 'source' | 'match'>;
export type EverythingQuantity = NonNullable<EverythingPatient['observations'][number]['valueQuantity']>;
export type EverythingInsuranceCard = NonNullable<EverythingPatient['insuranceCard']>;
export type EverythingInsuredVisit = NonNullable<EverythingPatient['insuredVisits']>[number];
