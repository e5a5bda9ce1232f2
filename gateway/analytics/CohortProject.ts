/**
 * An analytics project (docs/analytics.md, "De-identified cohort rows"): a name clients give as
 * `cohort(project:)`, the server-side secret its pseudonym key is derived from (never sent by a
 * client), and the token subjects (`sub`) allowed to use it.
 */
export interface CohortProject {
  readonly id: string;
  readonly secret: Buffer;
  readonly members: readonly string[];
}
