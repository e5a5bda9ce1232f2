import { validateResource } from '@medplum/core';
import type { Bundle, Coverage, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { VSS_SOURCE } from '../../gateway/fhir/fhirId';
import { indexMedplumDefinitions } from '../../demo/fhir/indexMedplumDefinitions';
import { createDemoPopulation } from '../../demo/population/generatePopulation';
import { startDemoNetwork, type DemoNetwork } from '../../demo/startDemoNetwork';
import { VN_CORE } from '../../gateway/fhir/toFhirEverythingBundle';
import { captureLogger } from '../helpers/captureLogger';
import { tokenFor } from '../helpers/tokens';

const population = createDemoPopulation(40);
const running = population.facilities.slice(0, 2);
const runningCodes = new Set(running.map((f) => f.code));
const person = population.people.find((p) => p.card?.resultCode === '000' && p.records.some((r) => runningCodes.has(r.facilityCode) && r.resources.encounters.length > 0 && r.resources.medications.length > 0));

describe('FHIR R4 out: GET /fhir/Patient/{nationalId}/$everything', () => {
  let network: DemoNetwork;
  let fhirBase: string;

  beforeAll(async () => {
    await indexMedplumDefinitions();
    network = await startDemoNetwork({ logger: captureLogger().logger, population, hospitalKinds: 'synthetic', facilities: running });
    fhirBase = network.gateway.url.replace(/graphql$/, 'fhir');
  }, 120_000);

  afterAll(async () => {
    await network.stop();
  });

  const everything = async (nationalId: string, token?: string): Promise<{ status: number; type: string | null; body: Resource }> => {
    const response = await fetch(`${fhirBase}/Patient/${nationalId}/$everything`, { headers: { accept: 'application/fhir+json', ...(token ? { authorization: `Bearer ${token}` } : {}) } });
    return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as Resource };
  };

  it('gives a clinician the merged record as a valid searchset Bundle with provenance, and audits it', async () => {
    expect(person).toBeDefined();
    const facilityCode = person?.records.find((r) => runningCodes.has(r.facilityCode))?.facilityCode ?? '';
    const before = (await network.audit.read({ patient: person?.nationalId ?? '' })).length;
    const { status, type, body } = await everything(person?.nationalId ?? '', await tokenFor('clinician', { facilityCode }));
    expect(status).toBe(200);
    expect(type).toContain('application/fhir+json');
    const bundle = body as Bundle;
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
    const resources = (bundle.entry ?? []).map((e) => e.resource as Resource);
    for (const resource of resources) expect({ resource: `${resource.resourceType}/${resource.id ?? ''}`, issues: validateResource(resource) }).toEqual({ resource: `${resource.resourceType}/${resource.id ?? ''}`, issues: [] });
    expect(validateResource(bundle)).toEqual([]);

    const patient = resources.find((r) => r.resourceType === 'Patient');
    expect(patient).toMatchObject({ meta: { profile: [VN_CORE.PATIENT_PROFILE] }, identifier: expect.arrayContaining([expect.objectContaining({ value: person?.nationalId })]) });
    const encounters = resources.filter((r) => r.resourceType === 'Encounter');
    expect(encounters.length).toBeGreaterThan(0);
    for (const encounter of encounters) expect(encounter.meta?.source).toMatch(/#\d{5}$|^urn:oid:vn:vss$/);
    expect(resources.map((r) => r.resourceType)).toEqual(expect.arrayContaining(['Patient', 'Encounter', 'MedicationRequest', 'Provenance']));
    const provenance = resources.filter((r) => r.resourceType === 'Provenance');
    expect(provenance.length).toBeGreaterThan(0);
    expect(JSON.stringify(provenance)).toMatch(/patient matched by/);

    // The insurance card as VSS reports it, and VSS's national visit history, from the insurance subgraph.
    const coverage = resources.find((r): r is Coverage => r.resourceType === 'Coverage');
    expect(coverage).toMatchObject({ status: 'active', identifier: [{ system: VN_CORE.INSURANCE_NUMBER, value: person?.insuranceNumber }], meta: { source: VSS_SOURCE } });
    const vssVisits = resources.filter((r) => r.resourceType === 'Encounter' && r.meta?.source === VSS_SOURCE);
    expect(vssVisits.length).toBeGreaterThan(0);
    expect(provenance.map((p) => p.id)).toContain('provenance-vss');
    expect((await network.audit.read({ patient: person?.nationalId ?? '' })).length).toBe(before + 1);
  }, 120_000);

  it('answers errors as OperationOutcomes: 401 without a token, 400 for a malformed ID, 403 for a role that may not read patients', async () => {
    const anonymous = await everything(person?.nationalId ?? '');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.resourceType).toBe('OperationOutcome');
    expect(validateResource(anonymous.body)).toEqual([]);

    const malformed = await everything('12345', await tokenFor('clinician', { facilityCode: running[0]?.code ?? '' }));
    expect(malformed.status).toBe(400);
    expect((malformed.body as OperationOutcome).issue[0]?.code).toBe('value');

    const analyst = await everything(person?.nationalId ?? '', await tokenFor('analyst'));
    expect(analyst.status).toBe(403);
    expect((analyst.body as OperationOutcome).issue[0]?.code).toBe('forbidden');
  }, 120_000);
});
