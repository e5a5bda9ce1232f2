import { fetchMatchedRecords, type SourceMatchedRecord } from './fetchMatchedRecords';
import type { FeedSource } from './fetchPatientChanges';
import type { IndexedPatient } from './PatientIndex';
import { registrationOfSourceRecord } from './registrationOfSourceRecord';
import type { PatientRegistration, RegistrationOutcome } from './SqlPatientIndex';

/** A source that answered for a person through demographics, as the gateway reported it. */
export interface AnsweredPatient {
  readonly facilityCode: string;
  readonly nationalId: string;
}

/** What the index needs to learn: the person it holds, and registration through the one matcher. */
export interface LearningIndex {
  get(nationalId: string): Promise<IndexedPatient | undefined>;
  register(registrations: readonly PatientRegistration[], actor: string): Promise<RegistrationOutcome[]>;
}

export interface AnswerLearningOptions {
  /** The sources the identity subgraph may ask (URL and signing secret), by facility code. */
  readonly sourceOf: (facilityCode: string) => FeedSource | undefined;
  /** Asks one source (default: over HTTP, signed); tests of the loop may pass another transport. */
  readonly fetchRecords?: (source: FeedSource, people: readonly IndexedPatient[]) => Promise<SourceMatchedRecord[][]>;
}

/** What one call learned: counts only (no patient data), for the caller's log and the answer. */
export interface AnswerLearningOutcome {
  readonly registered: number;
  readonly linked: number;
  readonly review: number;
  readonly unmatched: number;
  /** Facilities the identity subgraph does not know or could not read; their answers are dropped. */
  readonly failedSources: readonly string[];
}

/** The actor named on link events made from an answer (docs/identity.md §2). */
export const ANSWER_ACTOR = 'answer:gateway';

/**
 * Learning from clinical answers (docs/identity.md §2): the gateway reports only which facility
 * answered for which person (national ID). The index does not take demographics from the gateway:
 * it asks the facility itself, signed, which of its records its matcher gives that person
 * (`Patient.matchedRecords`), with the record as the facility holds it, and registers each record
 * through the one matcher against the candidates of its blocking keys — MATCH links, POSSIBLE_MATCH
 * waits for review, a registrar's decision is kept. People the index does not hold are skipped
 * (nothing to link to). One facility failing does not stop the others.
 */
export async function learnFromAnswers(index: LearningIndex, answers: readonly AnsweredPatient[], options: AnswerLearningOptions): Promise<AnswerLearningOutcome> {
  const fetchRecords = options.fetchRecords ?? fetchMatchedRecords;
  const byFacility = new Map<string, Set<string>>();
  for (const { facilityCode, nationalId } of answers) {
    const ids = byFacility.get(facilityCode) ?? new Set<string>();
    ids.add(nationalId);
    byFacility.set(facilityCode, ids);
  }
  const counts = { registered: 0, linked: 0, review: 0, unmatched: 0 };
  const failedSources: string[] = [];
  for (const [facilityCode, nationalIds] of byFacility) {
    const source = options.sourceOf(facilityCode);
    if (!source) {
      failedSources.push(facilityCode);
      continue;
    }
    const people = (await Promise.all([...nationalIds].map((id) => index.get(id)))).filter((p): p is IndexedPatient => p !== undefined);
    if (people.length === 0) continue;
    let records: SourceMatchedRecord[][];
    try {
      records = await fetchRecords(source, people);
    } catch {
      failedSources.push(facilityCode);
      continue;
    }
    const registrations = uniqueByLocalId(records.flat()).flatMap((record) => registrationOfSourceRecord(facilityCode, record));
    counts.registered += registrations.length;
    for (const outcome of await index.register(registrations, ANSWER_ACTOR)) {
      if (outcome.decision === 'MATCH') counts.linked += 1;
      else if (outcome.decision === 'POSSIBLE_MATCH') counts.review += 1;
      else counts.unmatched += 1;
    }
  }
  return { ...counts, failedSources };
}

function uniqueByLocalId(records: readonly SourceMatchedRecord[]): SourceMatchedRecord[] {
  return [...new Map(records.map((r) => [r.localId, r])).values()];
}

