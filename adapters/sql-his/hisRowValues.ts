import type { Coding } from '../../contracts/model/clinical';
import type { CodeColumn, EnumField } from './SqlHisMapping';

/**
 * A row as the query layer returns it: mapped columns under their own names, plus the aliases of
 * `HIS_ROW_KEYS` (which no mapped column can shadow: they are not SQL identifiers).
 */
export type HisRow = Readonly<Record<string, unknown>>;

export const HIS_ROW_KEYS = {
  /** The patient key of a resource row (possibly read through a join). */
  patient: '$patient',
  /** The encounter id of a diagnosis row. */
  encounter: '$encounter',
  code: '$code',
  display: '$display',
  count: '$count',
  /** A row's number within its encounter (population: the first matching diagnosis). */
  rank: '$rank',
  /** Population groups: the start of a row whose value is not plainly valid, for the decoder to judge. */
  start: '$start',
  /** Population groups: the age band computed in SQL (populationGrouping `traits`). */
  ageBand: '$ageBand',
  /** Population groups: the raw birth date of a row whose age band SQL did not compute (NULL for the others). */
  birth: '$birth',
  /** Population groups: the start's day (`yyyyMMdd`) of a row whose age band SQL did not compute. */
  day: '$day',
  /** Population groups: prefix of the patient's gender columns (`$sex_GENDER_ID`; no dot: a grouped subquery's columns are read as `x.name`). */
  sex: '$sex_',
} as const;

/**
 * Values as drivers return them, read the same way whatever the dialect: text trimmed (CHAR
 * columns pad with spaces), numbers written out (a TINYINT 1 reads as "1"), blanks as null.
 */
export function textOf(value: unknown): string | null {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? null : trimmed;
  }
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return null;
}

/** A number from NUMERIC/DECIMAL (drivers return text to keep precision), BIGINT or numeric text. */
export function numberOf(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  const text = textOf(value);
  if (text === null || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return null;
  return Number(text);
}

/** The contract value of an enumeration column: overrides first, then the code table, else the fallback. */
export function enumOf<T extends string>(row: HisRow, field: EnumField<T>): T | null {
  if (field.kind === 'constant') return field.value;
  for (const override of field.overrides) {
    if (textOf(row[override.column]) === override.equals) return override.value;
  }
  const code = textOf(row[field.column]);
  return (code === null ? undefined : field.values.get(code)) ?? field.fallback;
}

/** Same as `enumOf`, for fields the contract requires (their fallback is never null). */
export function requiredEnumOf<T extends string>(row: HisRow, field: EnumField<T>, otherwise: T): T {
  return enumOf(row, field) ?? otherwise;
}

/** A coded column as a FHIR Coding; null when the row has no code. */
export function codingOf(row: HisRow, column: CodeColumn): Coding | null {
  const code = textOf(row[column.column]);
  if (code === null) return null;
  const system = column.system.kind === 'constant'
    ? column.system.uri
    : column.system.uris.get(textOf(row[column.system.column]) ?? '') ?? null;
  return { system, code, display: column.display === null ? null : textOf(row[column.display]) };
}

/** A column that may be absent from the mapping. */
export function optionalText(row: HisRow, column: string | null): string | null {
  return column === null ? null : textOf(row[column]);
}

export function optionalNumber(row: HisRow, column: string | null): number | null {
  return column === null ? null : numberOf(row[column]);
}
