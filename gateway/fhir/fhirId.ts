/** A FHIR id (R4 datatypes.html#id: [A-Za-z0-9-.]{1,64}) from a graph id such as `01001:ENC-7`. */
export function fhirId(value: string): string {
  return value.replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 64);
}

/** Facility codes (MA_CSKCB) as FHIR identifiers and `meta.source` (the project's naming system). */
export const FACILITY_SYSTEM = 'urn:oid:vn:facility-code';

/** `meta.source` of what comes from Viet Nam Social Security (the card check and the visit history). */
export const VSS_SOURCE = 'urn:oid:vn:vss';
