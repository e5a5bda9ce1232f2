import type { SourceRegistry } from '../sources/RegisteredSource';

/** An `_entities` representation of the clinical contract (the `@requires`d locator fields). */
export interface PatientRepresentation {
  readonly __typename: string;
  readonly nationalId: string;
  readonly facilityCodes?: readonly string[] | null;
  readonly [field: string]: unknown;
}

/** What one facility is asked: unique representations, and which original indices each serves. */
export interface FacilityBatch {
  readonly facilityCode: string;
  readonly representations: PatientRepresentation[];
  /** `targets[j]` = indices (in the gateway's list) that the j-th sent representation answers. */
  readonly targets: number[][];
}

export interface EntityRoute {
  /** Registered facilities to ask, in configured source order. */
  readonly batches: readonly FacilityBatch[];
  /** Facilities the locator names that are not registered, with the indices that named them. */
  readonly unregistered: ReadonlyMap<string, readonly number[]>;
}

/**
 * Sends each representation only to the facilities in its record locator (DESIGN.md §3 step 1).
 * Cost is O(representations × locator size): it does not grow with the number of registered
 * sources. The gateway does not de-duplicate representations, so a patient listed twice is sent
 * once per facility and its answer reused.
 */
export function routeRepresentations(representations: readonly PatientRepresentation[], registry: SourceRegistry): EntityRoute {
  const batches = new Map<string, { batch: FacilityBatch; sentIndexByPatient: Map<string, number> }>();
  const unregistered = new Map<string, number[]>();
  representations.forEach((representation, index) => {
    for (const code of new Set(representation.facilityCodes ?? [])) {
      if (!registry.get(code)) {
        unregistered.set(code, [...(unregistered.get(code) ?? []), index]);
        continue;
      }
      let entry = batches.get(code);
      if (!entry) {
        entry = { batch: { facilityCode: code, representations: [], targets: [] }, sentIndexByPatient: new Map() };
        batches.set(code, entry);
      }
      const sentIndex = entry.sentIndexByPatient.get(representation.nationalId);
      if (sentIndex === undefined) {
        entry.sentIndexByPatient.set(representation.nationalId, entry.batch.representations.length);
        entry.batch.representations.push(representation);
        entry.batch.targets.push([index]);
      } else {
        entry.batch.targets[sentIndex]?.push(index);
      }
    }
  });
  const ordered = [...batches.values()]
    .map((e) => e.batch)
    .sort((a, b) => registry.orderOf(a.facilityCode) - registry.orderOf(b.facilityCode));
  return { batches: ordered, unregistered };
}
