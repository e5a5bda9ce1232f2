import type { PopulationQuery } from '../sdk/population/PopulationQuery';
import type { EncountersMapping, HisDateFormat, PatientsMapping } from './SqlHisMapping';

/**
 * How one encounter table answers a population question with `GROUP BY` in the database
 * (docs/analytics.md): only what the question needs is grouped, so the rows read grow with the
 * cells, not with the encounters.
 * - `date`: the start's calendar day (AGE_BAND: age at the encounter), its month (MONTH, QUARTER,
 *   YEAR), nothing (the window is applied in SQL either way), or the raw value when the column
 *   is a native or ISO type the statement does not cut (`date`, `timestamp`).
 * - `person`: the patient key (PATIENTS; SEX and AGE_BAND when `traits` cannot answer them): the
 *   adapter reads those patients by id (distinct keys only) and derives sex, birth date and keyed
 *   pseudonym as for a chart.
 * - `traits`: SEX and AGE_BAND read in the same statement from the patient row joined to the
 *   encounter: the gender columns as they are (decoded by the mapping afterwards), the age band
 *   computed in SQL from the start's and the birth date's digits — so a grouped question's rows are
 *   its cells, not its patients or days. A row whose start or birth date is not plainly valid is
 *   grouped by its day and raw birth date instead (`$day`, `$birth`), for the decoders to judge.
 * - `diagnoses`: the row's main and secondary code columns (`row`); over a diagnosis child table,
 *   one group per diagnosis code for CONDITIONS (`child-codes`), or for ENCOUNTERS and PATIENTS
 *   each encounter's first diagnosis matching the ICD-10 prefixes (`child-first`: main first, then
 *   by rank, then by code, as a chart orders them; picked with `row_number()` in SQL).
 */
export interface PopulationGrouping {
  readonly date: 'none' | 'day' | 'month' | 'raw';
  /**
   * Whether the statement also groups by the start of every row whose value is not plainly valid
   * in its format (`$start`, NULL for the others), so the mapping's decoder judges exactly those.
   */
  readonly checkStart: boolean;
  readonly person: boolean;
  /** Sex and age band from the joined patient row (null: neither is asked, or the mapping does not allow it). */
  readonly traits: { readonly sex: boolean; readonly ageBand: boolean } | null;
  readonly diagnoses: 'none' | 'row' | 'child-codes' | 'child-first';
}

/**
 * The grouping for one encounter table, or null when it cannot be grouped as the mapping's
 * decoders would read it: a child table whose code is a join's column, which has joins of its own,
 * or whose code column's name is also an encounter column of the statement (read per encounter).
 */
export function populationGrouping(query: PopulationQuery, encounters: EncountersMapping, patients: PatientsMapping): PopulationGrouping | null {
  // Costs are summed per encounter row (populationByRows): a group's sums would need a SUM per cost column.
  if (query.measure === 'COST') return null;
  // Readmissions link a patient's stays in order, not groups of rows (SqlHisAdapter.readmissionsInSql).
  if (query.measure === 'READMISSIONS') return null;
  const dims = new Set(query.groupBy);
  const needsCodes = query.measure === 'CONDITIONS' || query.icd10Prefixes !== null || dims.has('ICD10_CODE') || dims.has('ICD10_CATEGORY') || dims.has('ICD10_CHAPTER');
  const diagnoses = encounters.diagnoses;
  let grouping: PopulationGrouping['diagnoses'] = 'none';
  if (needsCodes && diagnoses?.kind === 'row') grouping = 'row';
  if (needsCodes && diagnoses?.kind === 'table') {
    if (diagnoses.joins.length > 0 || diagnoses.code.column.includes('.') || encounterColumns(encounters).has(diagnoses.code.column)) return null;
    grouping = query.measure === 'CONDITIONS' ? 'child-codes' : 'child-first';
  }
  const cut = CUT_FORMATS.has(encounters.start.format);
  const traits = (dims.has('SEX') || dims.has('AGE_BAND')) && traitsInSql(patients, cut) ? { sex: dims.has('SEX'), ageBand: dims.has('AGE_BAND') } : null;
  const date = dims.has('AGE_BAND') && traits === null ? 'day' : dims.has('MONTH') || dims.has('QUARTER') || dims.has('YEAR') ? 'month' : 'none';
  const windowed = query.from !== null || query.to !== null;
  return {
    // A start that does not decode is never counted in a window (as in a chart): uncut formats keep
    // their raw value then, cut ones their doubtful values (populationGroups' `$start`); an age
    // band computed in SQL needs the start judged too.
    date: !cut && (date !== 'none' || windowed) ? 'raw' : date,
    checkStart: cut && (date !== 'none' || windowed || traits?.ageBand === true),
    person: query.measure === 'PATIENTS' || (traits === null && (dims.has('SEX') || dims.has('AGE_BAND'))),
    traits,
    diagnoses: grouping,
  };
}

/**
 * Whether sex and age band can be read in the grouped statement: the start is cut from its text
 * (so its day is known in SQL), the birth date is in such a format too, and the birth and gender
 * columns are the patients table's own (a join's column would need the patients mapping's joins).
 */
function traitsInSql(patients: PatientsMapping, startCut: boolean): boolean {
  const birth = patients.birthDate;
  const gender = patients.gender;
  const own = (column: string): boolean => !column.includes('.');
  return startCut
    && (birth === null || (CUT_FORMATS.has(birth.format) && own(birth.column)))
    && (gender === null || gender.kind === 'constant' || (own(gender.column) && gender.overrides.every((o) => own(o.column))));
}

/** Formats whose day and month the statement cuts out of the text of the value (numbers or strings). */
export const CUT_FORMATS: ReadonlySet<HisDateFormat> = new Set<HisDateFormat>(['yyyyMMddHHmmss', 'yyyyMMddHHmm', 'yyyyMMdd', 'dd/MM/yyyy']);

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

/** Names an encounter group row may carry (class columns, start, patient key), which a diagnosis code column must not shadow. */
function encounterColumns(encounters: EncountersMapping): Set<string> {
  return new Set([encounters.start.column, encounters.id, ...(encounters.class.kind === 'column' ? [encounters.class.column, ...encounters.class.overrides.map((o) => o.column)] : [])]);
}
