import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import { startDemoNetwork, type DemoNetwork } from '../../../demo/startDemoNetwork';
import { RedisAuditLog } from '../../../gateway/audit/RedisAuditLog';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL } from '../../helpers/postGraphQL';
import { freePort, startRedisServer, type RunningRedisServer } from '../../helpers/startRedisServer';
import { tokenFor } from '../../helpers/tokens';

const population = createDemoPopulation();
const person = population.people.find((p) => p.records.length > 0 && p.card?.resultCode === '000');

describe('gateway with its audit log on Redis, when Redis stops mid-run', () => {
  let redis: RunningRedisServer;
  let port: number;
  let network: DemoNetwork;
  const dir = mkdtempSync(join(tmpdir(), 'pg-audit-redis-'));

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedisServer(port, dir);
    const audit = await RedisAuditLog.connect({ url: `redis://127.0.0.1:${port}`, keyPrefix: 'pg-test:gateway-audit:' });
    network = await startDemoNetwork({ logger: captureLogger().logger, population, audit });
  }, 120_000);

  afterAll(async () => {
    await network.stop();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses the data with AUDIT_UNAVAILABLE while Redis is down, and loses no record once it is back', async () => {
    const token = await tokenFor('clinician', { facilityCode: person?.records[0]?.facilityCode ?? '', sub: 'bs-outage' });
    const query = 'query($id: ID!) { patient(nationalId: $id) { name { full } encounters { id } } }';
    const ask = () => postGraphQL<{ patient: { name: { full: string } } | null }>(network.gateway.url, query, { id: person?.nationalId }, token);

    const before = await ask();
    expect(before.status).toBe(200);
    expect(before.body.data?.patient?.name.full).toBe(person?.name.full);

    await redis.stop('SIGKILL');
    const during = await ask();
    expect(during.status).toBe(503);
    expect(during.body.errors?.map((e) => e.extensions?.code)).toEqual(['AUDIT_UNAVAILABLE']);
    expect(during.body.data).toBeUndefined();
    expect(during.text).not.toContain(person?.name.full ?? '###');

    redis = await startRedisServer(port, dir);
    let after = await ask();
    for (let attempt = 0; attempt < 20 && after.status !== 200; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 250)); // the client reconnects in the background
      after = await ask();
    }
    expect(after.status).toBe(200);
    expect(after.body.data?.patient?.name.full).toBe(person?.name.full);

    const records = await network.audit.read({ sub: 'bs-outage' });
    // Requests refused while the client was still reconnecting may be recorded too, as refusals.
    expect(records.filter((r) => r.outcome === 'success')).toHaveLength(2);
    for (const refused of records.filter((r) => r.outcome !== 'success')) expect(refused).toMatchObject({ outcome: 'error', errorCodes: ['AUDIT_UNAVAILABLE'] });
    await expect(network.audit.verify()).resolves.toMatchObject({ kind: 'intact' });
  });
});
