import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import type { Population, SyntheticPerson } from '../../../demo/population/types';
import { startDemoNetwork, type DemoNetwork } from '../../../demo/startDemoNetwork';
import type { RunningGateway } from '../../../gateway/server/startGateway';
import { generateSigningSecret } from '../../../core/security/generateSigningSecret';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL } from '../../helpers/postGraphQL';
import { tokenFor } from '../../helpers/tokens';

interface Page {
  readonly rows: { readonly pseudonym: string; readonly province: string; readonly encounterClass: string; readonly icd10Codes: string[]; readonly month: string | null }[];
  readonly pageInfo: { readonly endCursor: string | null; readonly hasNextPage: boolean };
  readonly withheldRows: number;
}

const PAGE = `query Cohort($from: Date, $to: Date, $first: Int, $after: String) {
  cohort(from: $from, to: $to, first: $first, after: $after) {
    rows { pseudonym province encounterClass icd10Codes month }
    pageInfo { endCursor hasNextPage }
    withheldRows
  }
}`;
const QUESTION = { from: '2024-01-01', to: '2026-06-30', first: 60 };

/**
 * The demo population made alike on every quasi-identifier but the province (as in
 * cohortRows.test.ts; every encounter ambulatory, on 15 June 2025, since class and month are
 * checked too): groups are large, so pages release rows that can be compared.
 */
function alike(population: Population): Population {
  const person = (p: SyntheticPerson): SyntheticPerson => ({
    ...p,
    birthDate: '1960-01-01',
    gender: 'FEMALE',
    records: p.records.map((record) => ({
      ...record,
      resources: {
        ...record.resources,
        encounters: record.resources.encounters.map((encounter) => ({
          ...encounter,
          class: 'AMBULATORY' as const,
          period: { start: '2025-06-15T05:00:00.000Z', end: encounter.period.end === null ? null : '2025-06-15T06:00:00.000Z' },
          diagnoses: encounter.diagnoses.slice(0, 1).map((d) => ({ ...d, role: 'PRIMARY' as const, rank: 1, code: { ...d.code, code: 'J06.9' } })),
        })),
      },
    })),
  });
  return { ...population, people: population.people.map(person) };
}

/**
 * The two-replica deployment of docker-compose.yml (round robin, deploy/gateway.yaml): replicas
 * given the same `analytics.cursorKey` continue each other's cohort cursors; one with another key
 * refuses them (docs/analytics.md, "De-identified cohort rows").
 */
describe('cohort cursors across gateway replicas (analytics.cursorKey)', () => {
  const population = alike(createDemoPopulation());
  const facilities = population.facilities.slice(0, 3);
  const cursorKey = generateSigningSecret();
  let network: DemoNetwork;
  let sameKey: RunningGateway;
  let otherKey: RunningGateway;
  let analyst: string;

  beforeAll(async () => {
    network = await startDemoNetwork({ logger: captureLogger().logger, population, hospitalKinds: 'synthetic', facilities, cohortCursorKey: cursorKey });
    sameKey = await network.startGatewayReplica();
    otherKey = await network.startGatewayReplica({ cohortCursorKey: generateSigningSecret() });
    analyst = await tokenFor('analyst', { sub: 'cohort-replicas' });
  }, 180_000);

  afterAll(async () => {
    await network?.stop();
  });

  const page = (url: string, after: string | null) => postGraphQL<{ cohort: Page }>(url, PAGE, { ...QUESTION, after }, analyst);

  it('continues at replica B, with the same key, a cursor replica A made: B gives the page A gives', async () => {
    const first = await page(network.gateway.url, null);
    expect(first.status).toBe(200);
    const cursor = first.body.data?.cohort.pageInfo.endCursor;
    if (!cursor) throw new Error('the question fits one page');
    const atA = await page(network.gateway.url, cursor);
    const atB = await page(sameKey.url, cursor);
    expect(atB.status).toBe(200);
    expect(atB.body.errors).toBeUndefined();
    const second = atA.body.data?.cohort;
    expect(second?.rows.length ?? 0).toBeGreaterThan(0);
    // Same rows, same per-question pseudonyms (the key travels in the cursor), same next cursor's worth.
    expect(atB.body.data?.cohort.rows).toEqual(second?.rows);
    expect(atB.body.data?.cohort.withheldRows).toBe(second?.withheldRows);
    expect(atB.body.data?.cohort.pageInfo.hasNextPage).toBe(second?.pageInfo.hasNextPage);
    // And back: A continues B's cursor to the page B itself would give.
    const next = atB.body.data?.cohort.pageInfo.endCursor;
    if (!next) throw new Error('the question fits two pages');
    const thirdAtA = await page(network.gateway.url, next);
    const thirdAtB = await page(sameKey.url, next);
    expect(thirdAtA.status).toBe(200);
    expect(thirdAtA.body.data?.cohort.rows).toEqual(thirdAtB.body.data?.cohort.rows);
  }, 120_000);

  it('refuses (400 BAD_USER_INPUT) at a replica with another key a cursor replica A made', async () => {
    const first = await page(network.gateway.url, null);
    const cursor = first.body.data?.cohort.pageInfo.endCursor;
    if (!cursor) throw new Error('the question fits one page');
    const refused = await page(otherKey.url, cursor);
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(refused.body.data ?? null).toBeNull();
    // The other replica's own cursors work there: the refusal is the key's, not the replica's.
    const own = await page(otherKey.url, null);
    const ownCursor = own.body.data?.cohort.pageInfo.endCursor;
    if (!ownCursor) throw new Error('the question fits one page');
    expect((await page(otherKey.url, ownCursor)).status).toBe(200);
    expect((await page(network.gateway.url, ownCursor)).status).toBe(400);
  }, 120_000);
});
