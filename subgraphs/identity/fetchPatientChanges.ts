import { postSignedToSource, type FeedSource } from './postSignedToSource';
import type { SourcePatientRecord } from './registrationOfSourceRecord';

export type { FeedSource } from './postSignedToSource';

/** One record of the feed, as the clinical contract's `RegisteredPatient` carries it. */
export interface FeedRecord extends SourcePatientRecord {
  readonly updatedAt: string;
}

export interface FeedPage {
  readonly patients: readonly FeedRecord[];
  readonly endCursor: string | null;
  readonly hasNextPage: boolean;
}

const QUERY = `query PatientChanges($since: DateTime!, $first: Int, $after: String) {
  patientChanges(changedSince: $since, first: $first, after: $after) {
    patients { localId nationalId insuranceNumber fullName birthDate gender updatedAt }
    endCursor hasNextPage
  }
}`;

/**
 * Reads one page of a source's registration feed (`patientChanges`, clinical contract), signed for
 * the source as the gateway signs (no principal: the index asks for itself). Throws with the
 * source's error codes on a refusal or a malformed answer; never with record content.
 */
export async function fetchPatientChanges(source: FeedSource, since: string, first: number, after: string | null): Promise<FeedPage> {
  const body = JSON.stringify({ query: QUERY, variables: { since, first, after } });
  const response = await postSignedToSource(source, body);
  const answer = response.json as { data?: { patientChanges?: FeedPage | null } | null; errors?: { extensions?: { code?: unknown } }[] } | null;
  const page = answer?.data?.patientChanges;
  if (response.status < 200 || response.status > 299 || !page || !Array.isArray(page.patients)) {
    const codes = (answer?.errors ?? []).map((e) => (typeof e.extensions?.code === 'string' ? e.extensions.code : 'UNKNOWN')).join(', ');
    throw new Error(`source ${source.code} answered the patient feed with HTTP ${response.status}${codes ? ` (${codes})` : ''}`);
  }
  return page;
}
