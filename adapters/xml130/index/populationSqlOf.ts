import { populationReadWindow } from '../../sdk/population/populationReadWindow';
import { DEFAULT_READMISSION_DAYS, type PopulationDimension, type PopulationQuery } from '../../sdk/population/PopulationQuery';
import { normalizedIcd10 } from './indexRowOf';

/**
 * Age in whole years at the encounter's date, as `ageBand` computes it: a birth date known only
 * as a year counts as 1 July; null when either date is missing or malformed.
 */
const AGE = `CASE WHEN p.birth_date ~ '^[0-9]{4}(-[0-9]{2}-[0-9]{2})?$' AND h.fact_date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}' THEN
    substr(h.fact_date, 1, 4)::integer - substr(p.birth_date, 1, 4)::integer
    - CASE WHEN (substr(h.fact_date, 6, 2)::integer, substr(h.fact_date, 9, 2)::integer)
        < (CASE WHEN length(p.birth_date) = 4 THEN 7 ELSE substr(p.birth_date, 6, 2)::integer END,
           CASE WHEN length(p.birth_date) = 4 THEN 1 ELSE substr(p.birth_date, 9, 2)::integer END)
      THEN 1 ELSE 0 END
  END`;

/** Each dimension as a column of the facts below (`countPopulation`'s dimensionValue, in SQL). */
const DIMENSIONS: { readonly [D in PopulationDimension]: string } = {
  ICD10_CODE: 'dx.code',
  ICD10_CATEGORY: 'dx.category',
  ICD10_CHAPTER: 'dx.chapter',
  FACILITY: 'h.facility_code',
  PROVINCE: 'substr(h.facility_code, 1, 2)',
  AGE_BAND: `CASE WHEN age IS NULL OR age < 0 THEN NULL WHEN age >= 85 THEN '85+' ELSE (age / 5 * 5)::text || '-' || (age / 5 * 5 + 4)::text END`,
  SEX: 'p.gender',
  ENCOUNTER_CLASS: 'h.encounter_class',
  MONTH: 'substr(h.period_date, 1, 7)',
  QUARTER: `substr(h.period_date, 1, 4) || '-Q' || ((substr(h.period_date, 6, 2)::integer - 1) / 3 + 1)::text`,
  YEAR: 'substr(h.period_date, 1, 4)',
};

/**
 * The SQL of a population question over the served HOSO, grouped with `GROUP BY`: the same cells
 * as `countPopulation` over the same encounters. ICD-10 dimensions take the first matching
 * diagnosis (main first), or every matching one for CONDITIONS; PATIENTS is grouped per cell and
 * MA_BN, with what the pseudonym is derived from; COST sums T_TONGCHI, T_BHTT and T_BNCCT;
 * READMISSIONS counts the readmitted index stays of {@link readmittedSqlOf}, dated by their
 * discharge (periods) and aged at admission. Dimensions come from a closed list, values are
 * parameters. Pure.
 */
export function populationSqlOf(query: PopulationQuery, facilityCode: string): { readonly sql: string; readonly params: readonly unknown[] } {
  const prefixes = query.icd10Prefixes === null ? null : query.icd10Prefixes.map(normalizedIcd10);
  const params: unknown[] = [facilityCode, query.from, query.to, query.encounterClasses, prefixes];
  const matching = `d.file_id = h.file_id AND d.ordinal = h.ordinal
    AND ($5::text[] IS NULL OR EXISTS (SELECT 1 FROM unnest($5::text[]) prefix WHERE starts_with(d.norm_code, prefix)))`;
  const diagnoses = query.measure === 'CONDITIONS'
    ? `JOIN LATERAL (SELECT d.code, d.category, d.chapter FROM xml130_diagnosis d WHERE ${matching}) dx ON true`
    : `${prefixes === null ? 'LEFT JOIN' : 'JOIN'} LATERAL (SELECT d.code, d.category, d.chapter FROM xml130_diagnosis d
        WHERE ${matching} ORDER BY d.position LIMIT 1) dx ON true`;
  const values = query.groupBy.map((dimension, i) => `${DIMENSIONS[dimension]} AS v${i}`);
  const cell = query.groupBy.map((_, i) => `v${i}`);
  const measure = query.measure === 'PATIENTS'
    ? { select: ['ma_bn', 'national_id', 'insurance_number'], group: ['ma_bn', 'national_id', 'insurance_number'] }
    : query.measure === 'COST'
      // A missing T_BHTT or T_BNCCT beside a recorded total adds 0 (countPopulation).
      ? { select: ['count(*)::integer AS n', 'sum(t_tongchi) AS total_cost', 'coalesce(sum(t_bhtt), 0) AS insurance_paid', 'coalesce(sum(t_bncct), 0) AS patient_co_pay'], group: [] }
      : { select: ['count(*)::integer AS n'], group: [] };
  // COST counts only the encounters whose total is recorded: an unknown cost is not 0.
  const costRecorded = query.measure === 'COST' ? 'AND h.t_tongchi IS NOT NULL' : '';
  const groupBy = [...cell, ...measure.group];
  const readmissions = query.measure === 'READMISSIONS';
  if (readmissions) {
    const read = populationReadWindow(query);
    params.push(read.from, read.to, query.readmissionDays ?? DEFAULT_READMISSION_DAYS);
  }
  // The encounters counted: admitted in the window, or the readmitted index stays (discharged in it).
  const counted = readmissions
    ? `(h.file_id, h.ordinal) IN (${readmittedSqlOf('$2', '$3', '$6', '$7', '$8')})`
    : `($2::text IS NULL OR h.window_date >= $2::text) AND ($3::text IS NULL OR h.window_date <= $3::text)
              AND (($2::text IS NULL AND $3::text IS NULL) OR (h.fact_date IS NOT NULL
                AND ($2::text IS NULL OR h.fact_date >= $2::text) AND ($3::text IS NULL OR h.fact_date <= $3::text)))`;
  const sql = `SELECT ${[...cell, ...measure.select].join(', ')} FROM (
      SELECT ${[...values, 'p.ma_bn', 'p.national_id', 'p.insurance_number', 'h.t_tongchi', 'h.t_bhtt', 'h.t_bncct'].join(', ')}
      FROM (SELECT h.*, ${AGE} AS age, $1::text AS facility_code, ${readmissions ? 'h.end_date' : 'h.fact_date'} AS period_date
            FROM xml130_hoso h JOIN xml130_patient p ON p.ma_bn = h.ma_bn
            WHERE h.winner
              AND ${counted}
              AND ($4::text[] IS NULL OR h.encounter_class = ANY($4::text[])) ${costRecorded}) h
      JOIN xml130_patient p ON p.ma_bn = h.ma_bn
      ${diagnoses}
    ) facts${groupBy.length > 0 ? ` GROUP BY ${groupBy.join(', ')}` : ''}`;
  return { sql, params };
}

/**
 * The index stays a READMISSIONS question counts, as `(file_id, ordinal)` of the served HOSO —
 * `readmittedStays` (adapters/sdk/population) in SQL: each patient's (MA_BN) inpatient episodes
 * admitted in the read window, ordered by admission (NGAY_VAO, then MA_LK), the next admission
 * taken with `lead()`; an episode discharged (NGAY_RA) in the window, not before its admission,
 * whose next admission is 1 to N days after its discharge day. Placeholders: the window, the read
 * window and N.
 */
export function readmittedSqlOf(from: string, to: string, readFrom: string, readTo: string, days: string): string {
  return `SELECT s.file_id, s.ordinal FROM (
        SELECT h.file_id, h.ordinal, h.fact_date, h.end_date,
          lead(h.fact_date) OVER (PARTITION BY h.ma_bn ORDER BY h.start_at, h.ma_lk) AS next_date
        FROM xml130_hoso h
        WHERE h.winner AND h.encounter_class = 'INPATIENT' AND h.fact_date IS NOT NULL
          AND (${readFrom}::text IS NULL OR h.fact_date >= ${readFrom}::text) AND (${readTo}::text IS NULL OR h.fact_date <= ${readTo}::text)
      ) s
      WHERE s.end_date IS NOT NULL AND s.end_date >= s.fact_date AND s.next_date IS NOT NULL
        AND (${from}::text IS NULL OR s.end_date >= ${from}::text) AND (${to}::text IS NULL OR s.end_date <= ${to}::text)
        AND s.next_date::date - s.end_date::date BETWEEN 1 AND ${days}::integer`;
}
