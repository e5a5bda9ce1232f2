import { examplePatient, examplePatientQuery } from '../../../demo/examplePatient';
import { startDemoNetwork, type DemoNetwork } from '../../../demo/startDemoNetwork';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL } from '../../helpers/postGraphQL';
import { tokenFor } from '../../helpers/tokens';

/** The demo network with a secret per source: the gateway gets through, nobody else does. */
describe('request signing across the demo network', () => {
  let network: DemoNetwork;
  const logs = captureLogger();

  beforeAll(async () => {
    network = await startDemoNetwork({ logger: logs.logger });
  }, 120_000);

  afterAll(async () => {
    await network.stop();
  });

  it('starts every subgraph signed: none warns that it accepts unsigned requests', () => {
    expect(logs.lines.filter((l) => l.includes('subgraph.unsigned'))).toEqual([]);
  });

  it("has the gateway's signed requests accepted by identity, insurance and every hospital", async () => {
    const person = examplePatient(network.population);
    const { status, body } = await postGraphQL<{ patient: { facilityCodes: string[]; encounters: { source: { facilityCode: string } }[]; insuranceCard: { status: string } } }>(
      network.gateway.url,
      examplePatientQuery(person.nationalId),
      {},
      await tokenFor('patient', { sub: person.nationalId }),
    );
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const patient = body.data?.patient;
    expect(new Set(patient?.encounters.map((e) => e.source.facilityCode))).toEqual(new Set(patient?.facilityCodes));
    expect(patient?.insuranceCard.status).toBe('VALID');
    expect(logs.lines.filter((l) => l.includes('subgraph.request_refused'))).toEqual([]);
  });

  it('has every subgraph refuse a direct unsigned request with 401 UNAUTHENTICATED', async () => {
    const subgraphs = [network.identity.url, network.insurance.url, ...network.hospitals.map((h) => h.url)];
    expect(subgraphs.length).toBeGreaterThan(3);
    const answers = await Promise.all(subgraphs.map((url) => postGraphQL(url, '{ _service { sdl } }')));
    for (const { status, body } of answers) {
      expect(status).toBe(401);
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });
});
