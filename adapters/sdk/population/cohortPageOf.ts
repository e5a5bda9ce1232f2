import { cohortRowOf } from './cohortRowOf';
import type { CohortQuery, CohortSourcePage } from './CohortQuery';
import { inWindow, matchesPrefixes } from './countPopulation';
import type { EncounterFact } from './PopulationQuery';

/** An encounter fact with the source's unique, stable key of the encounter (its keyset position). */
export interface KeyedEncounterFact {
  readonly key: string;
  readonly fact: EncounterFact;
}

/**
 * One page of cohort rows over a source's encounter facts (docs/analytics.md, "De-identified
 * cohort rows"), for the adapters that already produce facts (synthetic, xml130, fhir-r4): the
 * encounters of the question (window, classes, an ICD-10 code matching the prefixes — as
 * `countPopulation` counts ENCOUNTERS), in the order of their keys (code units), strictly after
 * `after`, at most `first`. Keyset paging: a row added or removed between two pages shifts no
 * other row, so no row is returned twice.
 */
export function cohortPageOf(facts: Iterable<KeyedEncounterFact>, query: CohortQuery, facilityCode: string, after: string | null, first: number): CohortSourcePage {
  const selected = [...facts]
    .filter(({ key, fact }) => (after === null || key > after) && isInCohort(fact, query))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const page = selected.slice(0, first);
  return {
    rows: page.map(({ key, fact }) => ({ ...cohortRowOf(fact, facilityCode), place: key })),
    hasNextPage: selected.length > first,
    endPlace: page.at(-1)?.key ?? null,
  };
}

/** Whether an encounter belongs to the cohort of the question. */
export function isInCohort(fact: EncounterFact, query: CohortQuery): boolean {
  if (!inWindow(fact.date, query)) return false;
  if (query.encounterClasses !== null && !query.encounterClasses.includes(fact.encounterClass)) return false;
  return query.icd10Prefixes === null || fact.diagnoses.some((d) => matchesPrefixes(d.code, query.icd10Prefixes));
}
