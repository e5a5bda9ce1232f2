import DataLoader from 'dataloader';
import type { ClinicalResourceKind, ClinicalResources, RecordIdentifier } from '../../contracts/model/clinical';
import type { PatientKeys } from '../../contracts/model/patient';
import type { ClinicalAdapter, SourcePatient } from './ClinicalAdapter';
import { buildPatientLookup, matchPatients, type MatchedRecord, type MatchOptions } from './matchPatients';

/** One DataLoader per resource kind, keyed by the source's local patient id. */
export type ResourceLoaders = {
  readonly [K in ClinicalResourceKind]: DataLoader<string, readonly ClinicalResources[K][]>;
};

/** A matched local record with the identifiers the source keeps on it (`Patient.sourceIdentifiers`). */
export interface MatchedSourceRecord extends MatchedRecord {
  readonly identifiers: readonly RecordIdentifier[];
  /** The record's demographics as the source holds them (`Patient.matchedRecords`, for the patient index). */
  readonly held: SourcePatient | null;
}

/**
 * Per-request loaders of one clinical subgraph (docs/architecture.md §4). Every entity of a federation
 * `_entities` request resolves in the same tick, so the loaders turn N patients into one
 * `findPatients` call plus one `loadResources` call per kind asked for, whatever N is.
 */
export interface ClinicalLoaders {
  /** The person's matched local records, keyed (and cached) by national ID. */
  readonly match: DataLoader<PatientKeys, readonly MatchedSourceRecord[], string>;
  /** The same, plus the records only possibly the person's (`encounters(includePossibleMatches: true)`). */
  readonly matchWithPossible: DataLoader<PatientKeys, readonly MatchedSourceRecord[], string>;
  readonly resources: ResourceLoaders;
}

/** Create once per request: DataLoader caches for its lifetime, and a cache must not outlive a request. */
export function createClinicalLoaders(adapter: ClinicalAdapter, options: MatchOptions = {}): ClinicalLoaders {
  return {
    match: matchLoader(adapter, { ...options, includePossibleMatches: false }),
    matchWithPossible: matchLoader(adapter, { ...options, includePossibleMatches: true }),
    resources: {
      encounters: resourceLoader(adapter, 'encounters'),
      conditions: resourceLoader(adapter, 'conditions'),
      observations: resourceLoader(adapter, 'observations'),
      medications: resourceLoader(adapter, 'medications'),
      procedures: resourceLoader(adapter, 'procedures'),
      allergies: resourceLoader(adapter, 'allergies'),
    },
  };
}

function matchLoader(adapter: ClinicalAdapter, options: MatchOptions): DataLoader<PatientKeys, readonly MatchedSourceRecord[], string> {
  return new DataLoader<PatientKeys, readonly MatchedSourceRecord[], string>(
    async (people) => {
      const candidates = await adapter.findPatients(buildPatientLookup(people, options));
      const matched = matchPatients(people, candidates, options);
      const candidateOf = new Map(candidates.map((c) => [c.localId, c]));
      return people.map((person) => (matched.get(person.nationalId) ?? []).map((record) => {
        const held = candidateOf.get(record.localId) ?? null;
        return { ...record, identifiers: held?.identifiers ?? [], held };
      }));
    },
    { cacheKeyFn: (person) => person.nationalId },
  );
}

function resourceLoader<K extends ClinicalResourceKind>(
  adapter: ClinicalAdapter,
  kind: K,
): DataLoader<string, readonly ClinicalResources[K][]> {
  return new DataLoader<string, readonly ClinicalResources[K][]>(async (localIds) => {
    const byPatient = new Map<string, ClinicalResources[K][]>(localIds.map((id) => [id, []]));
    for (const row of await adapter.loadResources(kind, localIds)) {
      // Rows for patients that were not asked about are ignored, never handed to someone else.
      byPatient.get(row.patientLocalId)?.push(row.resource);
    }
    return localIds.map((id) => byPatient.get(id) ?? []);
  });
}
