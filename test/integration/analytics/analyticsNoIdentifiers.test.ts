import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import { startDemoNetwork, type DemoNetwork } from '../../../demo/startDemoNetwork';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL } from '../../helpers/postGraphQL';
import { tokenFor } from '../../helpers/tokens';

const population = createDemoPopulation();

/** Every direct identifier of the generated people, as text an answer could carry. */
const identifiers = population.people.flatMap((person) => [person.nationalId, ...(person.insuranceNumber ? [person.insuranceNumber] : []), ...person.records.map((r) => r.localPatientId)]);

describe('an analyst reaches no identifier and no true small count through any analytics field, alias or fragment', () => {
  let network: DemoNetwork;
  let analyst: string;

  beforeAll(async () => {
    network = await startDemoNetwork({ logger: captureLogger().logger, population, hospitalKinds: 'synthetic', facilities: population.facilities.slice(0, 3) });
    analyst = await tokenFor('analyst');
  }, 120_000);

  afterAll(async () => {
    await network.stop();
  });

  it.each([
    ['an alias', '{ population(measure: PATIENTS, groupBy: [SEX]) { who: pseudonyms } }'],
    ['a named fragment', '{ population(measure: PATIENTS, groupBy: [SEX]) { ...Cell } } fragment Cell on PopulationCell { pseudonyms }'],
    ['an inline fragment', '{ population(measure: PATIENTS, groupBy: [SEX]) { ... on PopulationCell { pseudonyms } } }'],
  ])('refuses the hidden pseudonyms through %s (validation, before any plan)', async (_how, query) => {
    const { status, body } = await postGraphQL(network.gateway.url, query, {}, analyst);
    expect(status).toBe(400);
    expect(body.data ?? null).toBeNull();
    expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it("gets neither pseudonyms nor unrounded counts by naming its aliases after the gateway's internal ones: refused up front", async () => {
    for (const query of [
      `{ population(measure: PATIENTS, groupBy: [SEX, AGE_BAND]) { key _pgDistinct: key _pgGroupKey: sex _pgSortKey: ageBand count } }`,
      `{ population(measure: PATIENTS, groupBy: [SEX]) { key _pgCount: count count suppressed } }`,
    ]) {
      const { status, text, body } = await postGraphQL<{ population: unknown[] | null }>(network.gateway.url, query, {}, analyst);
      expect(status).toBe(400);
      expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(body.data ?? null).toBeNull();
      expect(text).not.toMatch(/"[A-Za-z0-9_-]{22}"/);
      for (const id of identifiers) expect(text).not.toContain(id);
    }
  });

  it('answers no analytics field with a direct identifier, whatever is asked', async () => {
    const query = `{
      diagnosisCounts(first: 1000) { code display encounters suppressed suppressionReason roundedTo }
      population(measure: PATIENTS, groupBy: [FACILITY, PROVINCE, AGE_BAND, SEX]) { key icd10Code icd10Category icd10Chapter facilityCode province ageBand sex encounterClass period count suppressed suppressionReason roundedTo }
      encounterCount
      cost: population(measure: COST, groupBy: [ICD10_CATEGORY, SEX]) { key count totalCost insurancePaid patientCoPay suppressed }
    }`;
    const { status, text, body } = await postGraphQL(network.gateway.url, query, {}, analyst);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    for (const id of identifiers) expect(text).not.toContain(id);
  });
});
