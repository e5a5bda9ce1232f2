import type { PopulationQuery } from '../sdk/population/PopulationQuery';
import type { EncountersMapping, HisDateFormat } from './SqlHisMapping';

/**
 * How one encounter table answers a population question with `GROUP BY` in the database
 * (docs/analytics.md): only what the question needs is grouped, so the rows read grow with the
 * cells, not with the encounters.
 * - `date`: the start's calendar day (AGE_BAND: age at the encounter), its month (MONTH, QUARTER,
 *   YEAR), nothing (the window is applied in SQL either way), or the raw value when the column
 *   is a native or ISO type the statement does not cut (`date`, `timestamp`).
 * - `person`: the patient key (PATIENTS, SEX, AGE_BAND): the adapter reads those patients by id
 *   (distinct keys only) and derives sex, birth date and keyed pseudonym as for a chart.
 * - `diagnoses`: the row's main and secondary code columns (`row`), or, for CONDITIONS over a
 *   diagnosis child table, one group per diagnosis code (`child-codes`).
 */
export interface PopulationGrouping {
  readonly date: 'none' | 'day' | 'month' | 'raw';
  readonly person: boolean;
  readonly diagnoses: 'none' | 'row' | 'child-codes';
}

/**
 * The grouping for one encounter table, or null when the question needs each encounter's own list
 * of diagnoses from a child table (the first matching diagnosis of ENCOUNTERS or PATIENTS with an
 * ICD-10 filter or dimension): those are read per encounter, as before.
 */
export function populationGrouping(query: PopulationQuery, encounters: EncountersMapping): PopulationGrouping | null {
  // Costs are summed per encounter row (populationByRows): a group's sums would need a SUM per cost column.
  if (query.measure === 'COST') return null;
  const dims = new Set(query.groupBy);
  const needsCodes = query.measure === 'CONDITIONS' || query.icd10Prefixes !== null || dims.has('ICD10_CODE') || dims.has('ICD10_CATEGORY') || dims.has('ICD10_CHAPTER');
  const diagnoses = encounters.diagnoses;
  let grouping: PopulationGrouping['diagnoses'] = 'none';
  if (needsCodes && diagnoses?.kind === 'row') grouping = 'row';
  if (needsCodes && diagnoses?.kind === 'table') {
    if (query.measure !== 'CONDITIONS') return null;
    grouping = 'child-codes';
  }
  const date = dims.has('AGE_BAND') ? 'day' : dims.has('MONTH') || dims.has('QUARTER') || dims.has('YEAR') ? 'month' : 'none';
  return {
    date: date !== 'none' && !CUT_FORMATS.has(encounters.start.format) ? 'raw' : date,
    person: query.measure === 'PATIENTS' || dims.has('SEX') || dims.has('AGE_BAND'),
    diagnoses: grouping,
  };
}

/** Formats whose day and month the statement cuts out of the text of the value (numbers or strings). */
const CUT_FORMATS: ReadonlySet<HisDateFormat> = new Set<HisDateFormat>(['yyyyMMddHHmmss', 'yyyyMMddHHmm', 'yyyyMMdd', 'dd/MM/yyyy']);

/**
 * A start value in the column's own format rebuilt from the statement's cut (`yyyyMMdd` or
 * `yyyyMMdd`'s first six digits): the first moment of that day or month, so the mapping's decoder
 * reads it exactly as it reads a row.
 */
export function startFromBucket(bucket: string, format: HisDateFormat, date: PopulationGrouping['date']): string {
  if (date === 'raw' || date === 'none') return bucket;
  const day = date === 'month' ? `${bucket}01` : bucket;
  switch (format) {
    case 'yyyyMMddHHmmss':
      return `${day}000000`;
    case 'yyyyMMddHHmm':
      return `${day}0000`;
    case 'dd/MM/yyyy':
      return `${day.slice(6, 8)}/${day.slice(4, 6)}/${day.slice(0, 4)}`;
    default:
      return day;
  }
}
