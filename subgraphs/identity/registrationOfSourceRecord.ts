import type { AdministrativeGender } from '../../contracts/model/patient';
import type { MatchGender } from '../../core/matching/MatchRecord';
import type { PatientRegistration } from './SqlPatientIndex';

/** What a hospital says of one of its patients, by the feed or by `matchedRecords`. */
export interface SourcePatientRecord {
  readonly localId: string;
  readonly nationalId: string | null;
  readonly insuranceNumber: string | null;
  readonly fullName: string | null;
  readonly birthDate: string | null;
  readonly gender: AdministrativeGender | null;
}

/**
 * A hospital's record as the index registers it: none for a record without a name or a local
 * number (it cannot be matched or linked), so the caller can `flatMap`.
 */
export function registrationOfSourceRecord(facilityCode: string, record: SourcePatientRecord): PatientRegistration[] {
  const fullName = record.fullName?.trim() ?? '';
  if (fullName === '' || typeof record.localId !== 'string') return [];
  return [{
    facilityCode,
    localId: record.localId,
    record: {
      nationalId: record.nationalId,
      insuranceNumber: record.insuranceNumber,
      fullName,
      birthDate: record.birthDate,
      gender: record.gender === null ? null : (record.gender.toLowerCase() as MatchGender),
    },
  }];
}
