import type { MatchField, MatchRecord } from '../../core/matching/MatchRecord';
import type { RecordMatch } from '../../core/matching/matchRecords';
import type { IndexedPatient } from './PatientIndex';

export type LinkStatus = 'AUTOMATIC' | 'CONFIRMED' | 'REJECTED';

/** A facility record linked to a person of the index: how, how sure, who decided and when. */
export interface PatientLink {
  readonly id: string;
  readonly nationalId: string;
  readonly facilityCode: string;
  readonly localId: string;
  readonly method: RecordMatch['method'];
  readonly decision: 'MATCH' | 'POSSIBLE_MATCH';
  readonly confidence: number;
  readonly agreed: readonly MatchField[];
  readonly status: LinkStatus;
  readonly decidedBy: string;
  readonly decidedAt: string;
}

export interface SearchHit {
  readonly patient: IndexedPatient;
  readonly match: RecordMatch;
}

/**
 * What a patient index that learns offers beyond look-ups (docs/identity.md §2): search by
 * demographics through the matcher, and the registrar's review of possible matches.
 */
export interface PatientMatching {
  /** People whose demographics fit the record (MATCH or POSSIBLE_MATCH), best first. */
  search(record: MatchRecord, first: number): Promise<SearchHit[]>;
  pendingReviews(first: number, after: string | null): Promise<PatientLink[]>;
  resolve(linkId: string, accept: boolean, actor: string): Promise<PatientLink | undefined>;
  /**
   * Per national ID, the facilities holding a record only possibly matched to the person and not
   * yet decided by a registrar (the routing of `encounters(includePossibleMatches: true)`).
   */
  possibleMatchFacilities(nationalIds: readonly string[]): Promise<ReadonlyMap<string, readonly string[]>>;
}
