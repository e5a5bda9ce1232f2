import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import type { SyntheticPerson } from '../../../demo/population/types';
import { startDemoNetwork, type DemoNetwork } from '../../../demo/startDemoNetwork';
import { RedisConsentStore } from '../../../gateway/state/RedisConsentStore';
import { RedisGrantStore } from '../../../gateway/state/RedisGrantStore';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL, type GraphQLHttpResponse } from '../../helpers/postGraphQL';
import { freePort, startRedisServer, type RunningRedisServer } from '../../helpers/startRedisServer';
import { tokenFor } from '../../helpers/tokens';

const population = createDemoPopulation();
const facilitiesOf = (p: SyntheticPerson): string[] => [...new Set(p.records.map((r) => r.facilityCode))];
const person = population.people.find((p) => p.card?.resultCode === '000' && p.records.length > 0 && p.records.every((r) => r.hasNationalId));
const home = person?.records[0]?.facilityCode ?? '';
const outsider = population.facilities.map((f) => f.code).find((code) => person !== undefined && !facilitiesOf(person).includes(code)) ?? '';

const READS: readonly [string, string, () => Promise<string>][] = [
  ['clinical data in care (consent narrows the locator)', 'query($id: ID!) { patient(nationalId: $id) { encounters { id } } }', () => tokenFor('clinician', { facilityCode: home, sub: 'st-in-care' })],
  ['the consent field', 'query($id: ID!) { patient(nationalId: $id) { consent { optedOutFacilityCodes } } }', () => tokenFor('clinician', { facilityCode: home, sub: 'st-in-care' })],
  ['insurance in care', 'query($id: ID!) { patient(nationalId: $id) { insuranceCard { resultCode } } }', () => tokenFor('clinician', { facilityCode: home, sub: 'st-in-care' })],
  ['a patient\'s own record', 'query($id: ID!) { patient(nationalId: $id) { encounters { id } } }', () => tokenFor('patient', { sub: person?.nationalId ?? '' })],
  ['clinical data outside care (the grant store decides)', 'query($id: ID!) { patient(nationalId: $id) { encounters { id } } }', () => tokenFor('clinician', { facilityCode: outsider, sub: 'st-outsider' })],
];
const SET_CONSENT = 'mutation($id: ID!, $codes: [String!]!) { setConsent(nationalId: $id, optedOutFacilityCodes: $codes, optedOutCategories: []) { optedOutFacilityCodes } }';
const BREAK = 'mutation($id: ID!, $reason: String!) { breakTheGlass(nationalId: $id, reason: $reason) { nationalId expiresAt } }';

type Answer = GraphQLHttpResponse<Record<string, unknown>>;

/**
 * The README's "never 200 with INTERNAL_SERVER_ERROR, never data without the consent check": consent
 * directives and break-the-glass grants on a private redis-server that is stopped mid-run. Every
 * request that needs them answers 503 ACCESS_STATE_UNAVAILABLE with no data; nothing is changed.
 */
describe('consent and grant stores on a Redis that goes down mid-run', () => {
  let redis: RunningRedisServer;
  let port: number;
  let client: Redis;
  let network: DemoNetwork;
  // Persistent (appendfsync always), so what Redis acknowledged before the outage is there after it.
  const dir = mkdtempSync(join(tmpdir(), 'pg-state-outage-'));

  beforeAll(async () => {
    if (!person || home === '' || outsider === '') throw new Error('fixture: population lacks a person treated at some but not all facilities');
    port = await freePort();
    redis = await startRedisServer(port, dir);
    // As openGatewayState connects the state stores: fail fast, no offline queue.
    client = new Redis(`redis://127.0.0.1:${port}`, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 1000, commandTimeout: 1000 });
    client.on('error', () => undefined);
    await new Promise<void>((resolve) => client.once('ready', () => resolve()));
    network = await startDemoNetwork({
      logger: captureLogger().logger,
      population,
      hospitalKinds: 'synthetic',
      consent: new RedisConsentStore(client, 'pg-st:consent:'),
      grants: new RedisGrantStore(client, 'pg-st:grant:'),
    });
  }, 120_000);

  afterAll(async () => {
    await network?.stop();
    client?.disconnect();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = async (query: string, variables: Record<string, unknown>, token: Promise<string>): Promise<Answer> => postGraphQL(network.gateway.url, query, variables, await token);
  const expectStateUnavailable = (answer: Answer): void => {
    expect({ status: answer.status, codes: [...new Set(answer.body.errors?.map((e) => e.extensions?.code))] }).toEqual({ status: 503, codes: ['ACCESS_STATE_UNAVAILABLE'] });
    expect(answer.body.data ?? null).toBeNull();
    expect(answer.text).not.toContain(person?.name.full ?? '###');
  };

  it('serves while Redis is up', async () => {
    for (const [, query, token] of READS.slice(0, 4)) {
      const answer = await post(query, { id: person?.nationalId }, token());
      expect(answer.status).toBe(200);
      expect(answer.body.errors).toBeUndefined();
    }
  });

  describe('after Redis stops', () => {
    beforeAll(async () => {
      await redis.stop('SIGKILL');
    });

    it.each(READS)('refuses %s: 503 ACCESS_STATE_UNAVAILABLE, no data', async (_label, query, token) => {
      expectStateUnavailable(await post(query, { id: person?.nationalId }, token()));
    });

    it('refuses setConsent: 503', async () => {
      expectStateUnavailable(await post(SET_CONSENT, { id: person?.nationalId, codes: [home] }, tokenFor('patient', { sub: person?.nationalId ?? '' })));
    });

    it('refuses breakTheGlass: 503', async () => {
      expectStateUnavailable(await post(BREAK, { id: person?.nationalId, reason: 'Unconscious patient in the emergency room' }, tokenFor('clinician', { facilityCode: outsider, sub: 'st-outsider' })));
    });
  });

  describe('once Redis is back', () => {
    beforeAll(async () => {
      redis = await startRedisServer(port, dir);
      if (client.status !== 'ready') await new Promise<void>((resolve) => client.once('ready', () => resolve()));
    }, 120_000);

    it('serves again, and neither the refused consent change nor the refused grant took effect', async () => {
      const consent = await post('query($id: ID!) { patient(nationalId: $id) { consent { optedOutFacilityCodes } } }', { id: person?.nationalId }, tokenFor('patient', { sub: person?.nationalId ?? '' }));
      expect(consent.status).toBe(200);
      expect(consent.body.data).toEqual({ patient: { consent: { optedOutFacilityCodes: [] } } });
      const outside = await post(READS[4]?.[1] ?? '', { id: person?.nationalId }, tokenFor('clinician', { facilityCode: outsider, sub: 'st-outsider' }));
      expect(outside.status).toBe(403);
      expect(outside.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      const inCare = await post(READS[0]?.[1] ?? '', { id: person?.nationalId }, tokenFor('clinician', { facilityCode: home, sub: 'st-in-care' }));
      expect(inCare.status).toBe(200);
      expect(inCare.body.errors).toBeUndefined();
    });
  });
});
