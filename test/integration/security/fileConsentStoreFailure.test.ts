import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import type { SyntheticPerson } from '../../../demo/population/types';
import { startDemoNetwork, type DemoNetwork } from '../../../demo/startDemoNetwork';
import { FileConsentStore } from '../../../gateway/state/FileConsentStore';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL, type GraphQLHttpResponse } from '../../helpers/postGraphQL';
import { tokenFor } from '../../helpers/tokens';

const population = createDemoPopulation();
const facilitiesOf = (p: SyntheticPerson): string[] => [...new Set(p.records.map((r) => r.facilityCode))];
const person = population.people.find((p) => p.records.length > 0 && p.records.every((r) => r.hasNationalId));
const home = person?.records[0]?.facilityCode ?? '';
const other = population.facilities.map((f) => f.code).find((code) => person !== undefined && !facilitiesOf(person).includes(code)) ?? '';

const ENCOUNTERS = 'query($id: ID!) { patient(nationalId: $id) { encounters { id } } }';
const CONSENT = 'query($id: ID!) { patient(nationalId: $id) { consent { optedOutFacilityCodes } } }';
const SET_CONSENT = 'mutation($id: ID!, $codes: [String!]!) { setConsent(nationalId: $id, optedOutFacilityCodes: $codes, optedOutCategories: []) { optedOutFacilityCodes } }';

type Answer = GraphQLHttpResponse<Record<string, unknown>>;

/**
 * The embedded consent store (`state: embedded`, gateway/state/FileConsentStore.ts) fails like the
 * Redis stores (test/integration/security/stateStoreOutage.test.ts): a consent file the gateway
 * cannot read, or cannot write, answers 503 ACCESS_STATE_UNAVAILABLE with no data and changes
 * nothing. The tests run as any user (root reads a mode-000 file), so "unreadable" is a directory
 * where the file should be (EISDIR), and "unwritable" a directory at the store's temp-file path.
 */
describe('the embedded consent file, unreadable or unwritable', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pg-consent-file-'));
  const file = join(dir, 'consent.json');
  let network: DemoNetwork;

  beforeAll(async () => {
    if (!person || home === '' || other === '') throw new Error('fixture: population lacks a person treated at some but not all facilities');
    // Unreadable from the start: the gateway starts, and refuses what needs consent.
    mkdirSync(file);
    network = await startDemoNetwork({ logger: captureLogger().logger, population, hospitalKinds: 'synthetic', consent: new FileConsentStore(file) });
  }, 120_000);

  afterAll(async () => {
    await network?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = async (query: string, variables: Record<string, unknown>, token: Promise<string>): Promise<Answer> => postGraphQL(network.gateway.url, query, variables, await token);
  const clinician = (): Promise<string> => tokenFor('clinician', { facilityCode: home, sub: 'cf-in-care' });
  const patient = (): Promise<string> => tokenFor('patient', { sub: person?.nationalId ?? '' });
  const expectStateUnavailable = (answer: Answer): void => {
    expect({ status: answer.status, codes: [...new Set(answer.body.errors?.map((e) => e.extensions?.code))] }).toEqual({ status: 503, codes: ['ACCESS_STATE_UNAVAILABLE'] });
    expect(answer.body.data ?? null).toBeNull();
    expect(answer.text).not.toContain(person?.name.full ?? '###');
  };

  it('refuses reads and setConsent while the file cannot be read (never "no opt-outs"), and leaves the file alone', async () => {
    expectStateUnavailable(await post(ENCOUNTERS, { id: person?.nationalId }, clinician()));
    expectStateUnavailable(await post(CONSENT, { id: person?.nationalId }, patient()));
    expectStateUnavailable(await post(SET_CONSENT, { id: person?.nationalId, codes: [other] }, patient()));
    expect(statSync(file).isDirectory()).toBe(true);
  });

  it('serves, and applies the saved opt-out, once the file can be read again (no restart)', async () => {
    rmSync(file, { recursive: true });
    writeFileSync(file, JSON.stringify({ [person?.nationalId ?? '']: { optedOutFacilityCodes: [other], optedOutCategories: [] } }));
    const consent = await post(CONSENT, { id: person?.nationalId }, patient());
    expect(consent.status).toBe(200);
    expect(consent.body.data).toEqual({ patient: { consent: { optedOutFacilityCodes: [other] } } });
    const encounters = await post(ENCOUNTERS, { id: person?.nationalId }, clinician());
    expect(encounters.status).toBe(200);
    expect(encounters.body.errors).toBeUndefined();
  });

  it('refuses setConsent when the file cannot be written, and neither the file nor the served consent changes', async () => {
    const before = readFileSync(file, 'utf8');
    // The store writes `<file>.<pid>.tmp`, then renames it; the gateway runs in this process.
    const temp = `${file}.${process.pid}.tmp`;
    mkdirSync(temp);
    try {
      expectStateUnavailable(await post(SET_CONSENT, { id: person?.nationalId, codes: [] }, patient()));
    } finally {
      rmSync(temp, { recursive: true });
    }
    expect(readFileSync(file, 'utf8')).toBe(before);
    const consent = await post(CONSENT, { id: person?.nationalId }, patient());
    expect(consent.body.data).toEqual({ patient: { consent: { optedOutFacilityCodes: [other] } } });
    // Writable again: the change goes through and is saved.
    const changed = await post(SET_CONSENT, { id: person?.nationalId, codes: [] }, patient());
    expect(changed.status).toBe(200);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ [person?.nationalId ?? '']: expect.objectContaining({ optedOutFacilityCodes: [] }) });
  });
});
