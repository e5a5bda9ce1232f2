import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import { startDemoNetwork, type DemoNetwork } from '../../../demo/startDemoNetwork';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL } from '../../helpers/postGraphQL';
import { tokenFor } from '../../helpers/tokens';

const population = createDemoPopulation(45);
type Page = { patients: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { cursor: string; node: { nationalId: string } }[] } };
const PAGE = 'query($after: String) { patients(first: 20, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { nationalId } } } }';

describe('the patient index as a Relay connection, through the gateway', () => {
  let network: DemoNetwork;

  beforeAll(async () => {
    network = await startDemoNetwork({ logger: captureLogger().logger, population, hospitalKinds: 'synthetic', facilities: population.facilities.slice(0, 1) });
  });

  afterAll(async () => {
    await network.stop();
  });

  it('pages through every patient once, in national-ID order, with opaque cursors', async () => {
    const token = await tokenFor('registrar', { facilityCode: '01901' });
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const response: { body: { data?: Page | null; errors?: unknown } } = await postGraphQL<Page>(network.gateway.url, PAGE, { after }, token);
      expect(response.body.errors).toBeUndefined();
      const connection = response.body.data?.patients;
      expect(connection?.totalCount).toBe(45);
      for (const edge of connection?.edges ?? []) {
        seen.push(edge.node.nationalId);
        expect(Buffer.from(edge.cursor, 'base64url').toString('latin1')).not.toContain(edge.node.nationalId);
      }
      if (!connection?.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(population.people.map((p) => p.nationalId).sort());
  });

  it('answers a forged cursor and a page size over 100 with BAD_USER_INPUT', async () => {
    const token = await tokenFor('registrar', { facilityCode: '01901' });
    const forged = Buffer.from(`patient:${population.people[0]?.nationalId ?? ''}`).toString('base64url');
    const bad = await postGraphQL(network.gateway.url, PAGE, { after: forged }, token);
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const big = await postGraphQL(network.gateway.url, '{ patients(first: 500) { totalCount } }', {}, token);
    expect(big.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
