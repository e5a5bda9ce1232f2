import { silentLogger } from '../../../core/logging/logger';
import { IDENTIFIER_SYSTEMS } from '../../../contracts/model/patient';
import { loadPopulationIntoFhir } from '../../../demo/fhir/loadPopulationIntoFhir';
import { startMedplumFhirServer, type RunningMedplumFhirServer } from '../../../demo/fhir/startMedplumFhirServer';
import { DEMO_FACILITIES, createDemoPopulation } from '../../../demo/population/generatePopulation';
import { facilityRecordsOf } from '../../../demo/population/facilityRecordsOf';

/** The demo's Medplum FHIR server over HTTP: loading, paging, errors, and start-up cost. */
const population = createDemoPopulation();
const facility = DEMO_FACILITIES[1] as (typeof DEMO_FACILITIES)[number];
const charts = facilityRecordsOf(population, facility.code);

interface SearchBundle {
  resourceType: string;
  type?: string;
  total?: number;
  entry?: { resource: { id: string; resourceType: string } }[];
  link?: { relation: string; url: string }[];
}

describe('startMedplumFhirServer', () => {
  let fhir: RunningMedplumFhirServer;

  beforeAll(async () => {
    fhir = await startMedplumFhirServer({ logger: silentLogger });
    await loadPopulationIntoFhir(fhir.baseUrl, population, facility.code);
  });

  afterAll(async () => {
    await fhir.stop();
  });

  async function get(path: string): Promise<{ status: number; body: SearchBundle }> {
    const response = await fetch(path.startsWith('http') ? path : `${fhir.baseUrl}/${path}`);
    return { status: response.status, body: (await response.json()) as SearchBundle };
  }

  it('listens on 127.0.0.1 under /fhir', () => {
    expect(fhir.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/fhir$/);
  });

  it('holds what was loaded over HTTP, under the charts’ own ids', async () => {
    const chart = charts.find((c) => c.record.hasNationalId);
    if (!chart) throw new Error('the population has no chart with a national ID at this facility');
    const { person, record } = chart;
    const read = await get(`Patient/${record.localPatientId}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ resourceType: 'Patient', id: record.localPatientId });
    const search = await get(`Patient?identifier=${encodeURIComponent(`${IDENTIFIER_SYSTEMS.NATIONAL_ID}|${person.nationalId}`)}`);
    expect(search.body.entry?.map((e) => e.resource.id)).toEqual([record.localPatientId]);
  });

  it('loads the same server again without duplicating anything', async () => {
    const before = (await get('Patient?_summary=count')).body.total;
    await loadPopulationIntoFhir(fhir.baseUrl, population, facility.code);
    expect((await get('Patient?_summary=count')).body.total).toBe(before);
    expect(before).toBe(charts.length);
  });

  it('pages searches with self and next links until the last page', async () => {
    const seen: string[] = [];
    let next: string | undefined = `${fhir.baseUrl}/Patient?_count=7`;
    let pages = 0;
    while (next !== undefined) {
      const { body } = await get(next);
      pages += 1;
      expect(body.link?.find((l) => l.relation === 'self')).toBeDefined();
      seen.push(...(body.entry ?? []).map((e) => e.resource.id));
      next = body.link?.find((l) => l.relation === 'next')?.url;
    }
    expect(pages).toBe(Math.ceil(charts.length / 7));
    expect(new Set(seen).size).toBe(charts.length);
  });

  it('pages with 20 by default, as Medplum’s server does', async () => {
    const { body } = await get('Encounter');
    expect(body.entry).toHaveLength(20);
    expect(body.link?.find((l) => l.relation === 'next')?.url).toContain('_offset=20');
  });

  it('answers an OperationOutcome with the status Medplum gives it', async () => {
    const invalid = await get('Patient?birthdate=not-a-date');
    expect(invalid.status).toBe(400);
    expect(invalid.body.resourceType).toBe('OperationOutcome');
    const missing = await get('Patient/NO-SUCH-PATIENT');
    expect(missing.status).toBe(404);
    const outside = await fetch(fhir.baseUrl.replace(/\/fhir$/, '/Patient'));
    expect(outside.status).toBe(404);
  });

  it('rejects a body that is not JSON', async () => {
    const response = await fetch(`${fhir.baseUrl}/Patient`, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: '{"resourceType":' });
    expect(response.status).toBe(400);
  });

  it('indexes the FHIR definitions once per process: a second server starts without paying for it', async () => {
    const second = await startMedplumFhirServer({ logger: silentLogger });
    try {
      expect(second.startup.definitionsIndexMs).toBe(0);
      expect((await fetch(`${second.baseUrl}/Patient`)).status).toBe(200);
    } finally {
      await second.stop();
    }
  });

  it('requires the bearer token it was given: 401 without it or with another, the resource with it', async () => {
    const token = 'demo-token-7Vd2LxN9pRt4Kw8Zs1Hm6Jc3Fy5Ub0Eq';
    const guarded = await startMedplumFhirServer({ logger: silentLogger, accessToken: token });
    try {
      const none = await fetch(`${guarded.baseUrl}/Patient`);
      expect(none.status).toBe(401);
      expect(((await none.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
      expect((await fetch(`${guarded.baseUrl}/Patient`, { headers: { authorization: `Bearer ${token}x` } })).status).toBe(401);
      expect((await fetch(`${guarded.baseUrl}/Patient`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    } finally {
      await guarded.stop();
    }
  });
});
