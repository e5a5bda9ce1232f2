import { fetchPatientChanges, type FeedPage, type FeedSource } from './fetchPatientChanges';
import { registrationOfSourceRecord } from './registrationOfSourceRecord';
import type { SqlPatientIndex } from './SqlPatientIndex';

/** What one source's sync did: records read, and how the matcher decided them. */
export interface FeedSyncOutcome {
  readonly facilityCode: string;
  readonly records: number;
  readonly linked: number;
  readonly review: number;
  readonly unmatched: number;
  /** Why the source could not be read (its checkpoint then stays where it was). */
  readonly error?: string;
}

export interface SyncOptions {
  /** Who the link events name (`sync:<who>`). */
  readonly actor: string;
  /** Page size asked of each source (1 to 1000, default 500). */
  readonly pageSize?: number;
  /** Reads one page (default: over HTTP, signed); tests of the loop may pass another transport. */
  readonly fetchPage?: (source: FeedSource, since: string, first: number, after: string | null) => Promise<FeedPage>;
}

/** The start of time for a source never read before. */
const EPOCH = '1970-01-01T00:00:00.000Z';

/**
 * `patient-graph identity sync` (docs/identity.md §2): reads each source's registration feed from
 * where the last sync stopped and registers every record with the index — matched by the one
 * matcher, linked (MATCH) or sent to review (POSSIBLE_MATCH). A record whose demographics changed is
 * matched again, so its automatic links follow the change (a link that no longer fits is
 * unlinked); a registrar's decision is never overwritten. The checkpoint moves after each page is
 * registered, so a sync cut short resumes without loss; one source failing does not stop the others.
 */
export async function syncPatientChanges(index: SqlPatientIndex, sources: readonly FeedSource[], options: SyncOptions): Promise<FeedSyncOutcome[]> {
  const fetchPage = options.fetchPage ?? fetchPatientChanges;
  const first = options.pageSize ?? 500;
  const outcomes: FeedSyncOutcome[] = [];
  for (const source of sources) {
    const counts = { records: 0, linked: 0, review: 0, unmatched: 0 };
    try {
      const checkpoint = await index.feedCheckpoint(source.code);
      let since = checkpoint?.changedSince ?? EPOCH;
      let after = checkpoint?.after ?? null;
      for (;;) {
        const page = await fetchPage(source, since, first, after);
        const registrations = page.patients.flatMap((record) => registrationOfSourceRecord(source.code, record));
        counts.records += page.patients.length;
        counts.unmatched += page.patients.length - registrations.length;
        for (const outcome of await index.register(registrations, `sync:${options.actor}`)) {
          if (outcome.decision === 'MATCH') counts.linked += 1;
          else if (outcome.decision === 'POSSIBLE_MATCH') counts.review += 1;
          else counts.unmatched += 1;
        }
        const last = page.patients.at(-1);
        // A page may end on rows the source could not read (no patients, a cursor all the same): move past them.
        if (page.endCursor !== null) {
          if (last) since = maxInstant(since, last.updatedAt);
          after = page.endCursor;
          await index.saveFeedCheckpoint(source.code, { changedSince: since, after });
        }
        if (!page.hasNextPage) break;
      }
      outcomes.push({ facilityCode: source.code, ...counts });
    } catch (error) {
      outcomes.push({ facilityCode: source.code, ...counts, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return outcomes;
}


/**
 * The feed is ordered by time, but `changedSince` only narrows the read: the cursor says where
 * the reader stands, so `since` may stay at the earliest instant of the current page's run.
 */
function maxInstant(a: string, b: string): string {
  return Date.parse(b) > Date.parse(a) ? b : a;
}
