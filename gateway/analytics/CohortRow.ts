/**
 * A cohort row as the gateway reads it from a source (the contract's `CohortRow` with the
 * `@inaccessible` `networkPseudonym` and `place`), before its pseudonym is replaced.
 */
export interface SourceCohortRow {
  readonly networkPseudonym: string;
  readonly place: string;
  readonly month: string | null;
  readonly ageBand: string | null;
  readonly sex: string | null;
  readonly province: string;
  readonly encounterClass: string;
  readonly icd10Codes: readonly string[];
}

/** One source's answer to a cohort page, as verified by the gateway. */
export interface SourceCohortPage {
  readonly rows: readonly SourceCohortRow[];
  /** The source's place after everything it looked at (null: nothing). */
  readonly endPlace: string | null;
  readonly hasNextPage: boolean;
}
