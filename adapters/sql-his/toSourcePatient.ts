import type { RecordIdentifier } from '../../contracts/model/clinical';
import type { SourcePatient } from '../sdk/ClinicalAdapter';
import { SOURCE_IDENTIFIER_SYSTEMS } from '../sdk/sourceIdentifierSystems';
import type { ValueProblem } from '../sdk/valueProblems';
import { readHisDate } from './hisDateFormats';
import { enumOf, optionalText, textOf, type HisRow } from './hisRowValues';
import type { PatientsMapping } from './SqlHisMapping';

/**
 * A row of the patients table → a candidate for the SDK's matcher. Values are passed on as the
 * HIS holds them (the matcher normalizes names and reads the BHXH code of a card); a row without an
 * id is not a patient record (null).
 */
export function toSourcePatient(row: HisRow, mapping: PatientsMapping, problems: ValueProblem[] = []): SourcePatient | null {
  const localId = textOf(row[mapping.id]);
  if (localId === null) return null;
  // A HIS that kept the 12-digit CCCD in its old CMND column (matchAs: nationalId): the first
  // 12-digit value of those columns is the national ID, else the nationalId column as it is.
  const candidates = [mapping.nationalId, ...mapping.identifiers.filter((i) => i.matchAs === 'nationalId').map((i) => i.column)]
    .map((column) => optionalText(row, column));
  const nationalId = candidates.find((value) => value !== null && /^\d{12}$/.test(value)) ?? optionalText(row, mapping.nationalId);
  return {
    localId,
    nationalId,
    // The card column, else the first card of the `matchAs: insuranceNumber` identifier columns.
    insuranceNumber: [mapping.insuranceNumber?.column ?? null, ...mapping.identifiers.filter((i) => i.matchAs === 'insuranceNumber').map((i) => i.column)]
      .map((column) => optionalText(row, column)).find((value) => value !== null) ?? null,
    fullName: fullNameOf(row, mapping),
    birthDate: birthDateOf(row, mapping, problems),
    gender: mapping.gender === null ? null : enumOf(row, mapping.gender),
    identifiers: identifiersOf(row, mapping),
  };
}

/**
 * Every identifier column as the HIS holds it, with its system: the national-ID and card columns
 * (their fixed systems), then the mapping's `identifiers` in declared order; empty columns skipped.
 */
function identifiersOf(row: HisRow, mapping: PatientsMapping): RecordIdentifier[] {
  const columns = [
    { column: mapping.nationalId, system: SOURCE_IDENTIFIER_SYSTEMS.NATIONAL_ID },
    { column: mapping.insuranceNumber?.column ?? null, system: SOURCE_IDENTIFIER_SYSTEMS.INSURANCE_NUMBER },
    ...mapping.identifiers,
  ];
  return columns.flatMap(({ column, system }) => {
    const value = optionalText(row, column);
    return value === null ? [] : [{ system, value }];
  });
}

/** Vietnamese names are written family name first: "Nguyễn" + "Thị Minh Khai". */
function fullNameOf(row: HisRow, mapping: PatientsMapping): string | null {
  const name = mapping.name;
  if (name === null) return null;
  if (name.kind === 'full') return textOf(row[name.column]);
  const parts = [textOf(row[name.family]), textOf(row[name.given])].filter((part): part is string => part !== null);
  return parts.length === 0 ? null : parts.join(' ');
}

/** A birth date that does not fit its format is a problem (logged by the adapter), matched as unknown. */
function birthDateOf(row: HisRow, mapping: PatientsMapping, problems: ValueProblem[]): string | null {
  const column = mapping.birthDate;
  if (column === null) return null;
  const reading = readHisDate(row[column.column], column.format);
  if (reading.kind === 'invalid') problems.push({ field: 'birthDate', mappingKey: column.key, expected: column.format });
  return reading.kind === 'value' ? reading.value : null;
}
