import type { SourceRegistry } from '../sources/RegisteredSource';

/** An `_entities` representation of the clinical contract (the `@requires`d locator fields). */
export interface PatientRepresentation {
  readonly __typename: string;
  readonly nationalId: string;
  readonly facilityCodes?: readonly string[] | null;
  /** Set by the access rules when an empty locator means "not allowed", not "unknown". */
  readonly locatorRestricted?: boolean;
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
  /** Indices of patients whose locator knew nothing and who were sent to the fallback sources. */
  readonly fallback: readonly number[];
}

export interface RouteOptions {
  /**
   * When a patient's locator knows no facility (an uninsured person the index never linked), ask
   * the first this-many registered sources instead (0 = ask none). Bounded so one unknown person
   * cannot fan out to every hospital of the country.
   */
  readonly fallbackSources: number;
}

/**
 * Sends each representation only to the facilities in its record locator (docs/architecture.md §3 step 1).
 * Cost is O(representations × locator size): it does not grow with the number of registered
 * sources. The gateway does not de-duplicate representations, so a patient listed twice is sent
 * once per facility and its answer reused.
 */
export function routeRepresentations(
  representations: readonly PatientRepresentation[],
  registry: SourceRegistry,
  options: RouteOptions = { fallbackSources: 0 },
): EntityRoute {
  const batches = new Map<string, { batch: FacilityBatch; sentIndexByPatient: Map<string, number> }>();
  const unregistered = new Map<string, number[]>();
  const fallback: number[] = [];
  const fallbackCodes = registry.list().slice(0, options.fallbackSources).map((s) => s.code);
  representations.forEach((representation, index) => {
    let codes = representation.facilityCodes ?? [];
    if (codes.length === 0 && representation.locatorRestricted !== true && fallbackCodes.length > 0) {
      fallback.push(index);
      codes = fallbackCodes;
    }
    for (const code of new Set(codes)) {
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
  return { batches: ordered, unregistered, fallback };
}
