import { parseNationalId } from '../../core/identifiers/nationalId';

/**
 * National IDs no source holds, for the kit's "null (or empty) for an unknown patient" and batching
 * checks: well formed (province 001, Hà Nội; born 1900), with a recognisable run of the digit 9 —
 * deterministic so two runs of the kit send the same requests.
 */
export function unknownNationalIds(count: number): string[] {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `001000${String(999_000 + i).padStart(6, '0')}`;
    if (parseNationalId(id).kind === 'invalid') throw new Error(`kit patient ${id} is not a valid national ID`);
    ids.push(id);
  }
  return ids;
}

/** The `_entities` representation the gateway sends for a patient (the clinical contract's @requires). */
export function kitRepresentation(nationalId: string, facilityCode: string): Record<string, unknown> {
  return {
    __typename: 'Patient',
    nationalId,
    facilityCodes: [facilityCode],
    insuranceNumber: null,
    name: { full: 'Conformance Kit' },
    birthDate: null,
    gender: 'UNKNOWN',
  };
}
