import type { SourceCohortPage, SourceCohortRow } from './CohortRow';

/** What one source did for this page: its answer, or null when it failed (asked again next page). */
export interface CohortSourceAnswer {
  readonly facilityCode: string;
  readonly page: SourceCohortPage | null;
}

export interface MergedCohortPage {
  /** At most `first` rows: source order, then each source's own order. */
  readonly rows: readonly SourceCohortRow[];
  /** Each source's place after this page (unchanged for a source none of whose rows were taken). */
  readonly places: Readonly<Record<string, string | null>>;
  readonly done: readonly string[];
  /** True while a source asked is not done (one that failed is not). */
  readonly hasNextPage: boolean;
}

/**
 * Merges the sources' cohort pages into one page of the question (docs/analytics.md, "De-identified
 * cohort rows"). Every source is asked from its own place for up to `first` rows; the page takes
 * rows in source order until it holds `first`. A source whose rows were all taken moves to the end
 * of what it looked at (and is done when it has no more); one whose rows were partly taken moves
 * to the place of its last row taken; one with none taken stays where it was — so the next page
 * returns exactly the rows not returned yet, whatever the sources answered. Pure.
 *
 * `answers` are in the gateway's source order and hold the sources not done yet, with a null
 * page for one that failed or was not asked (the page was full before it); `places` and `done` are
 * the cursor's.
 */
export function mergeCohortPages(
  answers: readonly CohortSourceAnswer[],
  places: Readonly<Record<string, string | null>>,
  done: readonly string[],
  first: number,
): MergedCohortPage {
  const rows: SourceCohortRow[] = [];
  const nextPlaces: Record<string, string | null> = { ...places };
  const nextDone = new Set(done);
  for (const { facilityCode, page } of answers) {
    if (page === null) continue;
    const taken = page.rows.slice(0, Math.max(0, first - rows.length));
    rows.push(...taken);
    if (taken.length === page.rows.length) {
      nextPlaces[facilityCode] = page.endPlace ?? places[facilityCode] ?? null;
      if (!page.hasNextPage) nextDone.add(facilityCode);
    } else if (taken.length > 0) {
      nextPlaces[facilityCode] = taken[taken.length - 1]?.place ?? null;
    }
  }
  return {
    rows,
    places: nextPlaces,
    done: [...nextDone].sort(),
    hasNextPage: answers.some(({ facilityCode }) => !nextDone.has(facilityCode)),
  };
}
