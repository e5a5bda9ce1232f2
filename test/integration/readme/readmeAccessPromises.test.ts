import { SignJWT } from 'jose';
import { DEVELOPMENT_AUTH } from '../../../gateway/auth/developmentAuth';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import { startDemoNetwork, type DemoNetwork } from '../../../demo/startDemoNetwork';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL } from '../../helpers/postGraphQL';
import { tokenFor } from '../../helpers/tokens';

const population = createDemoPopulation(40);
const running = population.facilities.slice(0, 2);
const facility = running[0]?.code ?? '';
// A patient of the clinician's own facility: in their care.
const inCare = population.people.find((p) => p.records.some((r) => r.facilityCode === facility && r.resources.encounters.length > 0));
// Treated only at the other running hospital: outside that care relationship, every record reachable.
const outsider = population.people.find((p) => p.records.length > 0 && p.records.every((r) => r.facilityCode === running[1]?.code));
const ENCOUNTERS = 'query($id: ID!) { patient(nationalId: $id) { encounters { id } } }';
const COUNT = '{ encounterCount }';
const BREAK = 'mutation($id: ID!) { breakTheGlass(nationalId: $id, reason: "Unconscious patient in the emergency room") { expiresAt } }';
const TOP = 'query($first: Int!) { diagnosisCounts(first: $first) { code encounters suppressed } }';

/** README "Who may see what" and "Example queries", each promise asked of a running gateway over HTTP. */
describe('README access and analytics promises, over HTTP', () => {
  let network: DemoNetwork;

  beforeAll(async () => {
    if (!inCare || !outsider) throw new Error('fixture: no patient in or outside the clinician’s care');
    network = await startDemoNetwork({ logger: captureLogger().logger, population, hospitalKinds: 'synthetic', facilities: running });
  }, 120_000);

  afterAll(async () => {
    await network.stop();
  });

  it('purpose of use: a clinician reads a patient in their care only for treatment or emergency; with any other purpose, aggregates only', async () => {
    for (const purposeOfUse of ['treatment', 'emergency'] as const) {
      const token = await tokenFor('clinician', { facilityCode: facility, purposeOfUse });
      const read = await postGraphQL<{ patient: { encounters: unknown[] } }>(network.gateway.url, ENCOUNTERS, { id: inCare?.nationalId }, token);
      expect({ purposeOfUse, errors: read.body.errors }).toEqual({ purposeOfUse, errors: undefined });
      expect(read.body.data?.patient.encounters.length).toBeGreaterThan(0);
    }
    for (const purposeOfUse of ['payment', 'operations', 'research', 'public-health'] as const) {
      const token = await tokenFor('clinician', { facilityCode: facility, purposeOfUse });
      const read = await postGraphQL(network.gateway.url, ENCOUNTERS, { id: inCare?.nationalId }, token);
      expect({ purposeOfUse, status: read.status, codes: read.body.errors?.map((e) => e.extensions?.code) }).toEqual({ purposeOfUse, status: 403, codes: ['FORBIDDEN'] });
      const count = await postGraphQL(network.gateway.url, COUNT, {}, token);
      expect({ purposeOfUse, errors: count.body.errors }).toEqual({ purposeOfUse, errors: undefined });
    }
  }, 60_000);

  it('breakTheGlass gives a 30-minute grant under which the clinician reads a patient outside their care', async () => {
    const token = await tokenFor('clinician', { facilityCode: facility, sub: 'readme-btg' });
    const refused = await postGraphQL(network.gateway.url, ENCOUNTERS, { id: outsider?.nationalId }, token);
    expect(refused.body.errors?.map((e) => [e.extensions?.code, e.extensions?.rule])).toEqual([['FORBIDDEN', 'needs-care']]);
    const before = Date.now();
    const grant = await postGraphQL<{ breakTheGlass: { expiresAt: string } }>(network.gateway.url, BREAK, { id: outsider?.nationalId }, token);
    const after = Date.now();
    expect(grant.body.errors).toBeUndefined();
    const expiresAt = Date.parse(grant.body.data?.breakTheGlass.expiresAt ?? '');
    // The grant's length, not a speed: issued between `before` and `after`, it ends 30 minutes later (ISO string: ms precision).
    expect(expiresAt).toBeGreaterThanOrEqual(before + 30 * 60_000 - 1);
    expect(expiresAt).toBeLessThanOrEqual(after + 30 * 60_000 + 1);
    const read = await postGraphQL(network.gateway.url, ENCOUNTERS, { id: outsider?.nationalId }, token);
    expect(read.body.errors).toBeUndefined();
    const records = await network.audit.read({ sub: 'readme-btg' });
    expect(records.at(-1)?.flags).toContain('review');
  }, 60_000);

  it('diagnosisCounts takes `first` from 1 to 1000: outside that, BAD_USER_INPUT (400) and no data', async () => {
    const analyst = await tokenFor('analyst');
    for (const first of [1, 1000]) {
      const ok = await postGraphQL(network.gateway.url, TOP, { first }, analyst);
      expect({ first, status: ok.status, errors: ok.body.errors }).toEqual({ first, status: 200, errors: undefined });
    }
    for (const first of [0, -1, 1001]) {
      const refused = await postGraphQL(network.gateway.url, TOP, { first }, analyst);
      expect({ first, status: refused.status, codes: refused.body.errors?.map((e) => e.extensions?.code), data: refused.body.data ?? null }).toEqual({ first, status: 400, codes: ['BAD_USER_INPUT'], data: null });
    }
  }, 60_000);

  it('limits as the README states them: 10 root fields, 15 aliases, cost 5,000, 16 KiB documents (one more: OPERATION_LIMIT_EXCEEDED, 400)', async () => {
    const analyst = await tokenFor('analyst');
    const ask = async (query: string) => {
      const { status, body } = await postGraphQL(network.gateway.url, query, {}, analyst);
      return { status, codes: body.errors?.map((e) => e.extensions?.code) };
    };
    const roots = (n: number): string => `{ ${[...Array(n).keys()].map((i) => `c${i}: encounterCount`).join(' ')} }`;
    const aliases = (n: number): string => `{ diagnosisCounts(first: 1) { ${[...Array(n).keys()].map((i) => `a${i}: code`).join(' ')} } }`;
    const sized = (bytes: number): string => '{ encounterCount }'.padEnd(bytes, ' ');
    const refused = { status: 400, codes: ['OPERATION_LIMIT_EXCEEDED'] };
    expect(await ask(roots(10))).toEqual({ status: 200, codes: undefined });
    expect(await ask(roots(11))).toEqual(refused);
    expect(await ask(aliases(15))).toEqual({ status: 200, codes: undefined });
    expect(await ask(aliases(16))).toEqual(refused);
    // Cost (gateway/limits/patientGraphCostModel.ts): a page of N patients with their encounters costs
    // 1 + 22·N, `diagnosisCounts(first: N) { code }` N; 2 × 2,201 + 595 + 3 = 5,000.
    const costing = (top: number): string => `{ a: patients(first: 100) { edges { node { encounters { id } } } } b: patients(first: 100) { edges { node { encounters { id } } } } c: patients(first: 27) { edges { node { encounters { id } } } } diagnosisCounts(first: ${top}) { code } }`;
    // Within the limit it runs (only two demo hospitals run here: the others' records are partial errors).
    const within = await ask(costing(3));
    expect({ status: within.status, limited: within.codes?.includes('OPERATION_LIMIT_EXCEEDED') ?? false }).toEqual({ status: 200, limited: false });
    expect(await ask(costing(4))).toEqual(refused);
    expect(await ask(sized(16 * 1024))).toEqual({ status: 200, codes: undefined });
    expect(await ask(sized(16 * 1024 + 1))).toEqual(refused);
  }, 60_000);

  it('tokens: no token 401; a lifetime over 12 hours (the default maxTokenLifetimeSec) or an iat more than 30 s ahead 401', async () => {
    const status = async (token?: string): Promise<number> => (await postGraphQL(network.gateway.url, COUNT, {}, token)).status;
    expect(await status()).toBe(401);
    expect(await status(await tokenFor('analyst', { ttlSec: 43_200 }))).toBe(200);
    expect(await status(await tokenFor('analyst', { ttlSec: 43_201 }))).toBe(401);
    // iat ahead of the gateway's clock: within the 30 s tolerance, then beyond it.
    const issuedAhead = (seconds: number): Promise<string> => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ role: 'analyst', sub: 'readme-iat' }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuer(DEVELOPMENT_AUTH.issuer).setAudience(DEVELOPMENT_AUTH.audience)
        .setIssuedAt(now + seconds).setExpirationTime(now + seconds + 3600).sign(new TextEncoder().encode(DEVELOPMENT_AUTH.secret));
    };
    expect(await status(await issuedAhead(10))).toBe(200);
    expect(await status(await issuedAhead(90))).toBe(401);
  }, 60_000);
});
