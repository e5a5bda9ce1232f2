import { generateNonce } from '../../core/security/generateNonce';
import { signRequest } from '../../core/security/requestSignature';
import type { AdministrativeGender } from '../../contracts/model/patient';

/** A clinical source whose registration feed the index reads, reached like the gateway reaches it. */
export interface FeedSource {
  /** Facility code (MA_CSKCB): the signing target and the facility of every record it lists. */
  readonly code: string;
  /** The source's GraphQL endpoint. */
  readonly url: string;
  /** The source's signing secret (docs/architecture.md §6). */
  readonly secret: string;
  readonly timeoutMs?: number;
}

/** One record of the feed, as the clinical contract's `RegisteredPatient` carries it. */
export interface FeedRecord {
  readonly localId: string;
  readonly nationalId: string | null;
  readonly insuranceNumber: string | null;
  readonly fullName: string | null;
  readonly birthDate: string | null;
  readonly gender: AdministrativeGender | null;
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
  const signature = signRequest({ secret: source.secret, method: 'POST', target: source.code, body, principal: null, timestampMs: Date.now(), nonce: generateNonce() });
  const response = await fetch(source.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...signature },
    body,
    signal: AbortSignal.timeout(source.timeoutMs ?? 30_000),
  });
  const answer = (await response.json().catch(() => null)) as { data?: { patientChanges?: FeedPage | null } | null; errors?: { extensions?: { code?: unknown } }[] } | null;
  const page = answer?.data?.patientChanges;
  if (!response.ok || !page || !Array.isArray(page.patients)) {
    const codes = (answer?.errors ?? []).map((e) => (typeof e.extensions?.code === 'string' ? e.extensions.code : 'UNKNOWN')).join(', ');
    throw new Error(`source ${source.code} answered the patient feed with HTTP ${response.status}${codes ? ` (${codes})` : ''}`);
  }
  return page;
}
