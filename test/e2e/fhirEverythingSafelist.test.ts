import type { Bundle } from '@medplum/fhirtypes';
import { buildPersistedQueryManifest } from '../../gateway/limits/buildPersistedQueryManifest';
import { OperationSafelist } from '../../gateway/limits/OperationSafelist';
import { createDemoPopulation } from '../../demo/population/generatePopulation';
import { startDemoNetwork, type DemoNetwork } from '../../demo/startDemoNetwork';
import { captureLogger } from '../helpers/captureLogger';
import { tokenFor } from '../helpers/tokens';

const population = createDemoPopulation(20);
const running = population.facilities.slice(0, 1);
const facilityCode = running[0]?.code ?? '';
const person = population.people.find((p) => p.records.some((r) => r.facilityCode === facilityCode && r.resources.encounters.length > 0));

/** The client's manifest: one app operation, not the FHIR route's query. */
const safelist = OperationSafelist.fromManifest(
  buildPersistedQueryManifest([{ path: 'app.graphql', text: 'query PatientName($id: ID!) { patient(nationalId: $id) { name { full } } }' }]),
);

describe('FHIR $everything on a gateway enforcing its safelist', () => {
  let network: DemoNetwork;

  beforeAll(async () => {
    network = await startDemoNetwork({ logger: captureLogger().logger, population, hospitalKinds: 'synthetic', facilities: running, safelist: { safelist, mode: 'enforce' } });
  }, 120_000);

  afterAll(async () => {
    await network.stop();
  });

  const graphql = async (query: string): Promise<{ status: number; code: unknown }> => {
    const response = await fetch(network.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor('clinician', { facilityCode })}` },
      body: JSON.stringify({ query, variables: { id: person?.nationalId } }),
    });
    const body = (await response.json()) as { errors?: { extensions?: { code?: unknown } }[] };
    return { status: response.status, code: body.errors?.[0]?.extensions?.code };
  };

  it('refuses a client operation outside the manifest (the safelist is enforced)', async () => {
    expect(await graphql('query Other($id: ID!) { patient(nationalId: $id) { nationalId } }')).toEqual({ status: 403, code: 'OPERATION_NOT_ALLOWED' });
  }, 120_000);

  it("runs the gateway's own $everything query, which no manifest lists, and audits it", async () => {
    expect(person).toBeDefined();
    const nationalId = person?.nationalId ?? '';
    const before = (await network.audit.read({ patient: nationalId })).length;
    const response = await fetch(`${network.gateway.url.replace(/graphql$/, 'fhir')}/Patient/${nationalId}/$everything`, {
      headers: { accept: 'application/fhir+json', authorization: `Bearer ${await tokenFor('clinician', { facilityCode })}` },
    });
    expect(response.status).toBe(200);
    const bundle = (await response.json()) as Bundle;
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
    expect((bundle.entry ?? []).map((e) => e.resource?.resourceType)).toEqual(expect.arrayContaining(['Patient', 'Encounter']));
    expect((await network.audit.read({ patient: nationalId })).length).toBe(before + 1);
  }, 120_000);
});
