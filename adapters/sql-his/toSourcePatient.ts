import type { SourcePatient } from '../sdk/ClinicalAdapter';
import { decodeHisDate } from './hisDateFormats';
import { enumOf, optionalText, textOf, type HisRow } from './hisRowValues';
import type { PatientsMapping } from './SqlHisMapping';

/**
 * A row of the patients table → a candidate for the SDK's matcher. Values are passed on as the
 * HIS holds them (the matcher normalizes names and reads the BHXH code of a card); a row without an
 * id is not a patient record (null).
 */
export function toSourcePatient(row: HisRow, mapping: PatientsMapping): SourcePatient | null {
  const localId = textOf(row[mapping.id]);
  if (localId === null) return null;
  return {
    localId,
    nationalId: optionalText(row, mapping.nationalId),
    insuranceNumber: mapping.insuranceNumber === null ? null : textOf(row[mapping.insuranceNumber.column]),
    fullName: fullNameOf(row, mapping),
    birthDate: mapping.birthDate === null ? null : decodeHisDate(row[mapping.birthDate.column], mapping.birthDate.format),
    gender: mapping.gender === null ? null : enumOf(row, mapping.gender),
  };
}

/** Vietnamese names are written family name first: "Nguyễn" + "Thị Minh Khai". */
function fullNameOf(row: HisRow, mapping: PatientsMapping): string | null {
  const name = mapping.name;
  if (name === null) return null;
  if (name.kind === 'full') return textOf(row[name.column]);
  const parts = [textOf(row[name.family]), textOf(row[name.given])].filter((part): part is string => part !== null);
  return parts.length === 0 ? null : parts.join(' ');
}
