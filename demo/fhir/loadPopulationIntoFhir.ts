import type { FhirRepository } from '@medplum/fhir-router';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { facilityRecordsOf } from '../population/facilityRecordsOf';
import type { Population } from '../population/types';
import { toFhirResources } from './toFhirResources';

/** What was written. */
export interface FhirLoadResult {
  readonly patients: number;
  readonly resources: number;
  readonly durationMs: number;
}

/** Entries per batch Bundle when loading over HTTP. */
const BATCH_SIZE = 500;

/**
 * Writes one facility's charts of a synthetic population into a FHIR server (toFhirResources):
 * straight into a repository (`FhirRepository.createResource` with the ids assigned), or over HTTP
 * to a FHIR base URL as batch Bundles of `PUT [type]/[id]` (update-as-create, http.html#upsert).
 * Either way the logical ids are the chart's local ids, so loading twice gives the same server.
 */
export async function loadPopulationIntoFhir(target: FhirRepository | string, population: Population, facilityCode: string): Promise<FhirLoadResult> {
  const started = performance.now();
  const charts = facilityRecordsOf(population, facilityCode);
  const resources = charts.flatMap(({ person, record }) => toFhirResources(person, record));
  if (typeof target === 'string') {
    for (let i = 0; i < resources.length; i += BATCH_SIZE) await putBatch(target.replace(/\/+$/, ''), resources.slice(i, i + BATCH_SIZE));
  } else {
    for (const resource of resources) await target.createResource(resource, { assignedId: true });
  }
  return { patients: charts.length, resources: resources.length, durationMs: Math.round(performance.now() - started) };
}

async function putBatch(baseUrl: string, resources: readonly Resource[]): Promise<void> {
  const bundle: Bundle = {
    resourceType: 'Bundle',
    type: 'batch',
    entry: resources.map((resource) => ({ resource, request: { method: 'PUT', url: `${resource.resourceType}/${resource.id ?? ''}` } })),
  };
  const response = await fetch(baseUrl, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify(bundle) });
  const answer = (await response.json()) as Partial<Bundle>;
  const failed = (answer.entry ?? []).filter((entry) => !/^2\d\d/.test(entry.response?.status ?? '')).length;
  if (!response.ok || answer.resourceType !== 'Bundle' || (answer.entry ?? []).length !== resources.length || failed > 0) {
    throw new Error(`loading into the FHIR server failed: HTTP ${response.status}, ${failed} of ${resources.length} entries rejected`);
  }
}
