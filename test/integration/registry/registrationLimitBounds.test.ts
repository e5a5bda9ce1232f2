import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSourceRecordStore } from '../../../gateway/registry/FileSourceRecordStore';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL } from '../../helpers/postGraphQL';
import { startRegistryTestNetwork, type Replica, type RegistryTestNetwork } from '../../helpers/startRegistryTestNetwork';
import { tokenFor } from '../../helpers/tokens';

const REGISTER = 'mutation($input: RegisterSourceInput!) { registerSource(input: $input) { code deadlineMs concurrency } }';

interface Registered {
  registerSource: { code: string; deadlineMs: number; concurrency: number } | null;
}

/**
 * docs/registry.md §1, a source record's `limits`: `deadlineMs` 100–60 000 (default 5 000) and
 * `concurrency` 1–1 000 (default 16). A value outside is refused with REGISTRATION_REFUSED naming the
 * `limits` check, and nothing is stored; without limits the defaults are what the source gets.
 */
describe('registerSource: the limits of a source record, at their bounds', () => {
  const logs = captureLogger();
  const env: NodeJS.ProcessEnv = {};
  const stateDir = mkdtempSync(join(tmpdir(), 'docs-contract-limits-'));
  let network: RegistryTestNetwork;
  let replica: Replica;
  let code: string;
  const register = async (limits: { deadlineMs?: number; concurrency?: number }) =>
    postGraphQL<Registered>(
      replica.gateway.url,
      REGISTER,
      { input: { code, name: 'Bounded HIS', contract: 'clinical', url: network.sourceOf(code).url, signingSecretRef: `env:SECRET_${code}`, ...limits } },
      await tokenFor('admin', { sub: 'admin-bounds' }),
    );

  beforeAll(async () => {
    network = await startRegistryTestNetwork(logs.logger);
    code = network.hospitals[0]?.facility.code ?? '';
    env[`SECRET_${code}`] = network.secretOf(code);
    const seed = network.hospitals.map((h) => h.facility.code).filter((c) => c !== code).map(network.sourceOf);
    replica = await network.startReplica({ store: new FileSourceRecordStore(join(stateDir, 'registry.json')), seed, env });
  }, 120_000);

  afterAll(async () => {
    await replica?.stop();
    await network?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it.each([
    [{ deadlineMs: 99 }, 'deadlineMs must be 100 to 60000'],
    [{ deadlineMs: 60_001 }, 'deadlineMs must be 100 to 60000'],
    [{ concurrency: 0 }, 'concurrency must be 1 to 1000'],
    [{ concurrency: 1001 }, 'concurrency must be 1 to 1000'],
  ])('refuses %j with REGISTRATION_REFUSED naming the limits check', async (limits, reason) => {
    const { status, body } = await register(limits);
    expect(status).toBe(400);
    expect(body.data?.registerSource ?? null).toBeNull();
    expect(body.errors?.[0]?.extensions?.code).toBe('REGISTRATION_REFUSED');
    expect(body.errors?.[0]?.extensions?.failedChecks).toEqual(['limits']);
    expect(body.errors?.[0]?.message).toContain(reason);
  });

  it('accepts the bounds themselves, and a source registered without limits gets 5000 ms and 16', async () => {
    const { body } = await register({});
    expect(body.errors).toBeUndefined();
    expect(body.data?.registerSource).toEqual({ code, deadlineMs: 5000, concurrency: 16 });
    const admin = await tokenFor('admin', { sub: 'admin-bounds' });
    const update = async (limits: { deadlineMs: number; concurrency: number }) =>
      postGraphQL<{ updateSource: { deadlineMs: number; concurrency: number } | null }>(
        replica.gateway.url,
        'mutation($code: String!, $input: UpdateSourceInput!) { updateSource(code: $code, input: $input) { deadlineMs concurrency } }',
        { code, input: limits },
        admin,
      );
    for (const limits of [{ deadlineMs: 100, concurrency: 1 }, { deadlineMs: 60_000, concurrency: 1000 }]) {
      const { body: updated } = await update(limits);
      expect(updated.errors).toBeUndefined();
      expect(updated.data?.updateSource).toEqual(limits);
    }
    // A change is checked like a registration (docs/registry.md §3), and changes nothing when refused.
    const { status, body: refused } = await update({ deadlineMs: 60_000, concurrency: 1001 });
    expect(status).toBe(400);
    expect(refused.errors?.[0]?.extensions?.code).toBe('REGISTRATION_REFUSED');
    const { body: listed } = await postGraphQL<{ sources: { code: string; deadlineMs: number; concurrency: number }[] }>(replica.gateway.url, '{ sources { code deadlineMs concurrency } }', {}, admin);
    expect(listed.data?.sources.find((s) => s.code === code)).toEqual({ code, deadlineMs: 60_000, concurrency: 1000 });
  });

  it('answers SOURCE_UNKNOWN with HTTP 404 for a facility that is not registered (docs/registry.md §3)', async () => {
    const unknown = ['79998', '79999'].find((c) => !network.hospitals.some((h) => h.facility.code === c)) ?? '79997';
    const { status, body } = await postGraphQL(replica.gateway.url, `mutation { removeSource(code: "${unknown}") { code } }`, {}, await tokenFor('admin', { sub: 'admin-bounds' }));
    expect(body.errors?.[0]?.extensions?.code).toBe('SOURCE_UNKNOWN');
    expect(status).toBe(404);
  });
});
