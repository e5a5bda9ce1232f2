import type { OperationOutcome } from '@medplum/fhirtypes';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import { startDemoNetwork, type DemoNetwork } from '../../../demo/startDemoNetwork';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL } from '../../helpers/postGraphQL';
import { tokenFor } from '../../helpers/tokens';

const population = createDemoPopulation(40);
const running = population.facilities.slice(0, 2);
const known = new Set(population.people.map((p) => p.nationalId));
// A well-formed CCCD number (a demo person's province, sex/century and year digits) no one in the index holds.
const template = population.people[0]?.nationalId ?? '';
const unknown = [...Array(1000).keys()].map((n) => `${template.slice(0, 6)}${String(999999 - n).padStart(6, '0')}`).find((id) => !known.has(id)) ?? '';
// Someone the index knows who was never treated at the clinician's facility.
const clinicianFacility = running[0]?.code ?? '';
const outsider = population.people.find((p) => p.records.length > 0 && p.records.every((r) => r.facilityCode !== clinicianFacility));
const BREAK = 'mutation($id: ID!) { breakTheGlass(nationalId: $id, reason: "Unconscious patient in the emergency room") { nationalId expiresAt } }';
const LOOKUP = 'query($id: ID!) { patient(nationalId: $id) { nationalId } }';

/**
 * README "For app developers" (FHIR R4 out: 403 when the caller may not read the patient, 404 when
 * there is no such patient) and "Who may see what" (a person the index does not know is refused
 * like one outside the care relationship; looking the person up answers the ID or null).
 */
describe('a national ID the patient index does not know', () => {
  let network: DemoNetwork;
  let fhirBase: string;

  beforeAll(async () => {
    if (unknown === '' || !outsider) throw new Error('fixture: no unknown national ID or no person outside the clinician’s facility');
    network = await startDemoNetwork({ logger: captureLogger().logger, population, hospitalKinds: 'synthetic', facilities: running });
    fhirBase = network.gateway.url.replace(/graphql$/, 'fhir');
  }, 120_000);

  afterAll(async () => {
    await network.stop();
  });

  const everything = async (nationalId: string, token: string): Promise<{ status: number; body: OperationOutcome }> => {
    const response = await fetch(`${fhirBase}/Patient/${nationalId}/$everything`, { headers: { accept: 'application/fhir+json', authorization: `Bearer ${token}` } });
    return { status: response.status, body: (await response.json()) as OperationOutcome };
  };

  it('is refused to a clinician exactly like a known patient outside their care, and looking it up answers null', async () => {
    const token = await tokenFor('clinician', { facilityCode: clinicianFacility, sub: 'readme-unknown-1' });
    const [ofUnknown, ofOutsider] = await Promise.all([everything(unknown, token), everything(outsider?.nationalId ?? '', token)]);
    expect(ofUnknown).toEqual(ofOutsider);
    expect(ofUnknown.status).toBe(403);
    expect(ofUnknown.body.issue[0]?.code).toBe('forbidden');

    const lookUp = async (id: string) => postGraphQL<{ patient: { nationalId: string } | null }>(network.gateway.url, LOOKUP, { id }, token);
    const [lookedUpUnknown, lookedUpOutsider] = await Promise.all([lookUp(unknown), lookUp(outsider?.nationalId ?? '')]);
    expect(lookedUpUnknown.body).toEqual({ data: { patient: null } });
    expect(lookedUpOutsider.body).toEqual({ data: { patient: { nationalId: outsider?.nationalId } } });
  }, 60_000);

  it('is 404 Not Found (an OperationOutcome) from $everything once the caller may read it: after breaking the glass', async () => {
    const token = await tokenFor('clinician', { facilityCode: clinicianFacility, sub: 'readme-unknown-2' });
    const grant = await postGraphQL(network.gateway.url, BREAK, { id: unknown }, token);
    expect(grant.body.errors).toBeUndefined();
    const { status, body } = await everything(unknown, token);
    expect(status).toBe(404);
    expect(body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] });
  }, 60_000);
});
