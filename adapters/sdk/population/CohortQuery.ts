import type { CohortSourceRow } from './cohortRowOf';
import type { PopulationQuery } from './PopulationQuery';

/** A cohort question as one source answers it (arguments validated): the filters of a population question. */
export type CohortQuery = Pick<PopulationQuery, 'from' | 'to' | 'icd10Prefixes' | 'encounterClasses'>;

/** A cohort row as it leaves the source, with the source's own place after it (opaque to the gateway). */
export interface PlacedCohortRow extends CohortSourceRow {
  /** The source's keyset position of this row: asked `after` it, the source answers the rows that follow. */
  readonly place: string;
}

/** One page of a source's cohort rows, in the source's stable order. */
export interface CohortSourcePage {
  readonly rows: readonly PlacedCohortRow[];
  /** True when the source holds more rows after `endPlace`. */
  readonly hasNextPage: boolean;
  /**
   * The source's place after everything this page looked at: the last row's place, or further
   * when the source passed over rows that were not in the cohort (null: it looked at nothing).
   */
  readonly endPlace: string | null;
}
