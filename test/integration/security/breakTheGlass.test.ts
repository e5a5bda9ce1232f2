import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import type { SyntheticPerson } from '../../../demo/population/types';
import { startDemoNetwork, type DemoNetwork } from '../../../demo/startDemoNetwork';
import { RedisAuditLog } from '../../../gateway/audit/RedisAuditLog';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL } from '../../helpers/postGraphQL';
import { freePort, startRedisServer, type RunningRedisServer } from '../../helpers/startRedisServer';
import { tokenFor } from '../../helpers/tokens';

const population = createDemoPopulation();
const facilitiesOf = (p: SyntheticPerson): string[] => [...new Set(p.records.map((r) => r.facilityCode))];
const person = population.people.find((p) => p.card?.resultCode === '000' && p.records.length > 0 && p.records.every((r) => r.hasNationalId));
const outsider = population.facilities.map((f) => f.code).find((code) => person !== undefined && !facilitiesOf(person).includes(code)) ?? '';
const CLINICAL = 'query($id: ID!) { patient(nationalId: $id) { encounters { id } } }';
const BREAK = 'mutation($id: ID!, $reason: String!) { breakTheGlass(nationalId: $id, reason: $reason) { nationalId expiresAt } }';
const REASON = 'Unconscious patient in the emergency room';

describe('breakTheGlass through the gateway, with its audit log on a private Redis', () => {
  let redis: RunningRedisServer;
  let port: number;
  let network: DemoNetwork;
  const dir = mkdtempSync(join(tmpdir(), 'pg-trust-audit-btg-'));

  beforeAll(async () => {
    if (!person || outsider === '') throw new Error('fixture: population lacks a person treated outside some facility');
    port = await freePort();
    redis = await startRedisServer(port, dir);
    const audit = await RedisAuditLog.connect({ url: `redis://127.0.0.1:${port}`, keyPrefix: 'pg-trust-audit:btg:' });
    network = await startDemoNetwork({ logger: captureLogger().logger, population, audit });
  }, 120_000);

  afterAll(async () => {
    await network.stop();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const token = (): Promise<string> => tokenFor('clinician', { facilityCode: outsider, sub: 'bs-btg' });
  const clinicalCodes = async (): Promise<unknown[]> => {
    const answer = await postGraphQL<{ patient: { encounters: unknown[] } | null }>(network.gateway.url, CLINICAL, { id: person?.nationalId }, await token());
    // Outside the care relationship and without a grant, the access model refuses before planning.
    expect(answer.status).toBe(403);
    expect(answer.body.data?.patient?.encounters ?? []).toEqual([]);
    return (answer.body.errors ?? []).map((e) => e.extensions?.code);
  };
  const grantRecords = async (): Promise<number> => (await network.audit.read({ sub: 'bs-btg' })).filter((r) => r.breakTheGlass !== undefined).length;

  it.each([
    ['11 zero-width spaces', '\u200b'.repeat(11)],
    ['11 NUL characters', '\u0000'.repeat(11)],
    ['1,001 characters', 'a'.repeat(1001)],
    ['9 letters padded with punctuation', 'abc...def!!!ghi???'],
    ['a valid-looking reason with a NUL inside', 'Unconscious\u0000patient in ER'],
  ])('refuses a reason of %s with BAD_USER_INPUT (HTTP 400), writes no grant record and grants nothing', async (_name, reason) => {
    const answer = await postGraphQL(network.gateway.url, BREAK, { id: person?.nationalId, reason }, await token());
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(answer.body.data ?? null).toBeNull();
    expect(answer.text).not.toContain('a'.repeat(20));
    expect(await grantRecords()).toBe(0);
    expect(await clinicalCodes()).toEqual(['FORBIDDEN']);
  });

  it('grants nothing when the grant’s audit record cannot be written: AUDIT_UNAVAILABLE (503), and clinical data stays refused', async () => {
    await redis.stop('SIGKILL');
    const during = await postGraphQL(network.gateway.url, BREAK, { id: person?.nationalId, reason: REASON }, await token());
    expect(during.status).toBe(503);
    expect(during.body.errors?.map((e) => e.extensions?.code)).toEqual(['AUDIT_UNAVAILABLE']);
    expect(during.body.data ?? null).toBeNull();

    redis = await startRedisServer(port, dir);
    let codes: unknown[] = ['AUDIT_UNAVAILABLE'];
    for (let attempt = 0; attempt < 40 && codes.includes('AUDIT_UNAVAILABLE'); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 250)); // the client reconnects in the background
      const answer = await postGraphQL(network.gateway.url, CLINICAL, { id: person?.nationalId }, await token());
      codes = (answer.body.errors ?? []).map((e) => e.extensions?.code);
    }
    expect(await clinicalCodes()).toEqual(['FORBIDDEN']);
    expect(await grantRecords()).toBe(0);
  });

  it('writes the grant’s own record (who, whom, reason, expiry, flagged for review) before the grant opens the clinical data', async () => {
    const granted = await postGraphQL<{ breakTheGlass: { nationalId: string; expiresAt: string } }>(network.gateway.url, BREAK, { id: person?.nationalId, reason: `  ${REASON}\n` }, await token());
    expect(granted.status).toBe(200);
    expect(granted.body.errors).toBeUndefined();
    const expiresAt = granted.body.data?.breakTheGlass.expiresAt;

    const records = await network.audit.read({ sub: 'bs-btg', patient: person?.nationalId });
    const grant = records.find((r) => r.breakTheGlass?.expiresAt !== undefined);
    expect(grant).toMatchObject({
      principal: { sub: 'bs-btg', role: 'clinician', facilityCode: outsider },
      patients: [person?.nationalId],
      fields: ['Mutation.breakTheGlass'],
      operation: { type: 'mutation' },
      breakTheGlass: { reason: REASON, expiresAt },
      flags: ['review'],
    });
    // The grant record comes before the record of the operation that carried it.
    const operation = records.find((r) => r.breakTheGlass !== undefined && r.breakTheGlass.expiresAt === undefined);
    expect(operation?.seq).toBeGreaterThan(grant?.seq ?? Infinity);
    expect(operation?.operation.documentHash).toBe(grant?.operation.documentHash);

    const allowed = await postGraphQL<{ patient: { encounters: unknown[] } }>(network.gateway.url, CLINICAL, { id: person?.nationalId }, await token());
    expect(allowed.body.errors).toBeUndefined();
    expect(allowed.body.data?.patient.encounters.length).toBeGreaterThan(0);
    await expect(network.audit.verify()).resolves.toMatchObject({ kind: 'intact' });
  });
});
