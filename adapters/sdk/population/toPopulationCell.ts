import type { PopulationDimension, PopulationRow } from './PopulationQuery';

/** A cell as the clinical contract's `PopulationCell` (before the gateway's disclosure control). */
export interface PopulationCell {
  /** The group values as a JSON array in `groupBy` order: the cell's identity when merging. */
  readonly key: string;
  readonly icd10Code: string | null;
  readonly icd10Category: string | null;
  readonly icd10Chapter: string | null;
  readonly facilityCode: string | null;
  readonly province: string | null;
  readonly ageBand: string | null;
  readonly sex: string | null;
  readonly encounterClass: string | null;
  readonly period: string | null;
  readonly count: number;
  readonly pseudonyms: readonly string[] | null;
  /** COST: sums in VND; null for the other measures. */
  readonly totalCost: number | null;
  readonly insurancePaid: number | null;
  readonly patientCoPay: number | null;
}

const FIELD_OF: Readonly<Record<PopulationDimension, keyof PopulationCell>> = {
  ICD10_CODE: 'icd10Code',
  ICD10_CATEGORY: 'icd10Category',
  ICD10_CHAPTER: 'icd10Chapter',
  FACILITY: 'facilityCode',
  PROVINCE: 'province',
  AGE_BAND: 'ageBand',
  SEX: 'sex',
  ENCOUNTER_CLASS: 'encounterClass',
  MONTH: 'period',
  QUARTER: 'period',
  YEAR: 'period',
};

export function toPopulationCell(row: PopulationRow, groupBy: readonly PopulationDimension[]): PopulationCell {
  const cell: Record<string, unknown> = {
    key: JSON.stringify(row.values),
    icd10Code: null,
    icd10Category: null,
    icd10Chapter: null,
    facilityCode: null,
    province: null,
    ageBand: null,
    sex: null,
    encounterClass: null,
    period: null,
    count: row.count,
    pseudonyms: row.pseudonyms,
    totalCost: row.amounts?.totalCost ?? null,
    insurancePaid: row.amounts?.insurancePaid ?? null,
    patientCoPay: row.amounts?.patientCoPay ?? null,
  };
  groupBy.forEach((dimension, index) => {
    cell[FIELD_OF[dimension]] = row.values[index] ?? null;
  });
  return cell as unknown as PopulationCell;
}
