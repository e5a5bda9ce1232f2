import type { Patient } from '@medplum/fhirtypes';
import type { EverythingPatient } from './everythingQuery';

/**
 * FHIR Patient.deceased[x] from what the hospitals record (clinical contract `Patient.deceased`):
 * a date of death when any record gives one (the most precise, the first of equals), else `true`
 * when any record says the patient died, `false` only when every record that speaks says alive,
 * and nothing when none speaks. A death one hospital records outweighs another's older "alive". Pure.
 */
export function patientDeceased(records: EverythingPatient['deceased']): Pick<Patient, 'deceasedBoolean' | 'deceasedDateTime'> {
  const dated = records.filter((r) => r.deceased && r.deceasedAt !== null).map((r) => r.deceasedAt as string);
  if (dated.length > 0) return { deceasedDateTime: dated.reduce((best, at) => (at.length > best.length ? at : best)) };
  if (records.some((r) => r.deceased)) return { deceasedBoolean: true };
  return records.length > 0 ? { deceasedBoolean: false } : {};
}
