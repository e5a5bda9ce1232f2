import type { IndexedPatient } from './PatientIndex';
import { postSignedToSource, type FeedSource } from './postSignedToSource';
import type { SourcePatientRecord } from './registrationOfSourceRecord';

/** One record a source's matcher gives a person, as the clinical contract's `MatchedPatientRecord` carries it. */
export interface SourceMatchedRecord extends SourcePatientRecord {
  readonly match: { readonly method: string };
}

const QUERY = `query PatientGraphMatchedRecords($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Patient { nationalId matchedRecords { localId nationalId insuranceNumber fullName birthDate gender match { method } } }
  }
}`;

/**
 * Asks one source, signed as the gateway signs (no principal: the index asks for itself), which of
 * its records its matcher gives each person (`Patient.matchedRecords`, clinical contract). The
 * person is sent as the gateway sends them (federation representation: key plus match keys), so
 * the source matches exactly as it did when it answered. Per person, in order; a person the
 * source failed on gets an empty list. Throws with the source's error codes on a refusal or a
 * malformed answer, never with record content.
 */
export async function fetchMatchedRecords(source: FeedSource, people: readonly IndexedPatient[]): Promise<SourceMatchedRecord[][]> {
  const representations = people.map((p) => ({
    __typename: 'Patient',
    nationalId: p.nationalId,
    facilityCodes: [source.code],
    insuranceNumber: p.insuranceNumber,
    name: { full: p.name.full },
    birthDate: p.birthDate,
    gender: p.gender,
  }));
  const body = JSON.stringify({ query: QUERY, variables: { representations }, operationName: 'PatientGraphMatchedRecords' });
  const response = await postSignedToSource(source, body);
  const answer = response.json as { data?: { _entities?: unknown } | null; errors?: { extensions?: { code?: unknown } }[] } | null;
  const entities = answer?.data?._entities;
  if (response.status < 200 || response.status > 299 || !Array.isArray(entities) || entities.length !== people.length) {
    const codes = (answer?.errors ?? []).map((e) => (typeof e.extensions?.code === 'string' ? e.extensions.code : 'UNKNOWN')).join(', ');
    throw new Error(`source ${source.code} answered the matched-records request with HTTP ${response.status}${codes ? ` (${codes})` : ''}`);
  }
  return entities.map((entity: unknown, i) => {
    const e = entity as { nationalId?: unknown; matchedRecords?: unknown } | null;
    // An entity for someone else than asked is dropped, never linked to the person asked about.
    if (e === null || e.nationalId !== people[i]?.nationalId || !Array.isArray(e.matchedRecords)) return [];
    return (e.matchedRecords as SourceMatchedRecord[]).filter((r) => r !== null && typeof r === 'object' && typeof r.localId === 'string');
  });
}
