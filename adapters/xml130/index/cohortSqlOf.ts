import type { CohortQuery } from '../../sdk/population/CohortQuery';
import { normalizedIcd10 } from './indexRowOf';

/**
 * The SQL of one page of cohort rows over the served HOSO (docs/analytics.md, "De-identified cohort
 * rows"): one statement, keyset-paged on MA_LK (unique among the served HOSO), the same encounters
 * as `population(measure: ENCOUNTERS)` counts — window on the admission date, classes, a diagnosis
 * matching a prefix — each with its patient's demographics and its ICD-10 codes in order (main
 * first). One row more than the page is read to know whether another page follows. Values are
 * parameters. Pure.
 */
export function cohortSqlOf(query: CohortQuery, after: string | null, first: number): { readonly sql: string; readonly params: readonly unknown[] } {
  const prefixes = query.icd10Prefixes === null ? null : query.icd10Prefixes.map(normalizedIcd10);
  const params: unknown[] = [query.from, query.to, query.encounterClasses, prefixes, after, first + 1];
  const sql = `SELECT h.ma_lk, h.fact_date, h.encounter_class, p.ma_bn, p.national_id, p.insurance_number, p.birth_date, p.gender,
      ARRAY(SELECT d.code FROM xml130_diagnosis d WHERE d.file_id = h.file_id AND d.ordinal = h.ordinal ORDER BY d.position) AS codes
    FROM xml130_hoso h JOIN xml130_patient p ON p.ma_bn = h.ma_bn
    WHERE h.winner
      AND ($1::text IS NULL OR h.window_date >= $1::text) AND ($2::text IS NULL OR h.window_date <= $2::text)
      AND (($1::text IS NULL AND $2::text IS NULL) OR (h.fact_date IS NOT NULL
        AND ($1::text IS NULL OR h.fact_date >= $1::text) AND ($2::text IS NULL OR h.fact_date <= $2::text)))
      AND ($3::text[] IS NULL OR h.encounter_class = ANY($3::text[]))
      AND ($4::text[] IS NULL OR EXISTS (SELECT 1 FROM xml130_diagnosis d, unnest($4::text[]) prefix
        WHERE d.file_id = h.file_id AND d.ordinal = h.ordinal AND starts_with(d.norm_code, prefix)))
      AND ($5::text IS NULL OR h.ma_lk COLLATE "C" > $5::text COLLATE "C")
    ORDER BY h.ma_lk COLLATE "C"
    LIMIT $6::integer`;
  return { sql, params };
}
