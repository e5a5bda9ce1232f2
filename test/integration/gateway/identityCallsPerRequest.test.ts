import { SourceClient } from '../../../core/http/SourceClient';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import type { SyntheticPerson } from '../../../demo/population/types';
import { startDemoNetwork, type DemoNetwork } from '../../../demo/startDemoNetwork';
import { InMemoryRateLimiter } from '../../../gateway/limits/InMemoryRateLimiter';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL } from '../../helpers/postGraphQL';
import { tokenFor } from '../../helpers/tokens';

/**
 * A clinician's patient read asks the patient index once (issue 9): the care check sends the
 * plan's own first fetch of the index ahead, decides on its answer, and the plan reads that same
 * answer (IdentityRecordLocatorLookup.ts, SingleSourceDataSource.prefetch). Counted at the source
 * client, on the real gateway over HTTP.
 */
const population = createDemoPopulation();
const facilitiesOf = (p: SyntheticPerson): string[] => [...new Set(p.records.map((r) => r.facilityCode))];
const person = population.people.find((p) => p.card?.resultCode === '000' && facilitiesOf(p).length === 3);
const careFacility = person ? (facilitiesOf(person)[0] ?? '') : '';
const outsider = population.facilities.map((f) => f.code).find((code) => person && !facilitiesOf(person).includes(code)) ?? '';

const QUERY = `query Read($id: ID!) { patient(nationalId: $id) { nationalId name { full } facilityCodes
  encounters { id source { facilityCode } } } }`;

/** Source calls by origin and operation name, while the test runs. */
const calls: { origin: string; operationName: string | null }[] = [];
const originalCall: SourceClient['call'] = Reflect.get(SourceClient.prototype, 'call');

let network: DemoNetwork;

beforeAll(async () => {
  SourceClient.prototype.call = function <T>(this: SourceClient, ...args: Parameters<SourceClient['call']>): Promise<T> {
    const body = args[0]().body;
    const operationName = typeof body === 'string' ? ((JSON.parse(body) as { operationName?: string | null }).operationName ?? null) : null;
    calls.push({ origin: new URL(this.options.url).origin, operationName });
    return originalCall.apply(this, args) as Promise<T>;
  };
  network = await startDemoNetwork({
    logger: captureLogger().logger,
    population,
    hospitalKinds: 'synthetic',
    rateLimits: { limiter: new InMemoryRateLimiter(), limitFor: () => null },
  });
}, 120_000);

afterAll(async () => {
  SourceClient.prototype.call = originalCall;
  await network?.stop();
});

async function read(facilityCode: string, id: string, query = QUERY): Promise<{ status: number; identityCalls: string[]; hospitalCalls: number; body: Awaited<ReturnType<typeof postGraphQL>>['body'] }> {
  const token = await tokenFor('clinician', { sub: 'identity-calls', facilityCode });
  calls.length = 0;
  const response = await postGraphQL(network.gateway.url, query, { id }, token);
  const identity = new URL(network.identity.url).origin;
  const hospitals = new Set(network.hospitals.map((h) => new URL(h.url).origin));
  return {
    status: response.status,
    body: response.body,
    identityCalls: calls.filter((c) => c.origin === identity).map((c) => c.operationName ?? ''),
    hospitalCalls: calls.filter((c) => hospitals.has(c.origin)).length,
  };
}

describe('identity calls per clinician request', () => {
  it('asks the patient index once for a planned operation, and answers from all three hospitals', async () => {
    if (!person) throw new Error('the demo population has nobody treated at three hospitals');
    await read(careFacility, person.nationalId); // the gateway plans the operation (the care check learns its first fetch)
    const second = await read(careFacility, person.nationalId);
    expect(second.status).toBe(200);
    expect(second.body.errors).toBeUndefined();
    expect(second.identityCalls).toHaveLength(1);
    expect(second.identityCalls[0]).not.toBe('PatientGraphCareCheck');
    const patient = (second.body.data as { patient: { facilityCodes: string[]; encounters: { source: { facilityCode: string } }[] } }).patient;
    expect(new Set(patient.encounters.map((e) => e.source.facilityCode))).toEqual(new Set(facilitiesOf(person)));
    expect(second.hospitalCalls).toBe(3);
  }, 60_000);

  it('still refuses a patient outside the clinician\'s care, asking the index once and no hospital', async () => {
    if (!person) throw new Error('the demo population has nobody treated at three hospitals');
    await read(outsider, person.nationalId);
    const refused = await read(outsider, person.nationalId);
    expect(refused.status).toBe(403);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(refused.body.data ?? null).toBeNull();
    expect(refused.identityCalls).toHaveLength(1);
    expect(refused.hospitalCalls).toBe(0);
  }, 60_000);

  it('decides for a person the index does not know like one outside care (the old locator question for them)', async () => {
    const unknown = '001099000001';
    const answer = await read(careFacility, unknown);
    const again = await read(careFacility, unknown);
    for (const r of [answer, again]) {
      expect(r.status).toBe(403);
      expect(r.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(r.hospitalCalls).toBe(0);
    }
  }, 60_000);
});
