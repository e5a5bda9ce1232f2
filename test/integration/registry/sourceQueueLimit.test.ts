import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { examplePatient } from '../../../demo/examplePatient';
import { FileSourceRecordStore } from '../../../gateway/registry/FileSourceRecordStore';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL } from '../../helpers/postGraphQL';
import { startFaultProxy, type FaultProxy } from '../../helpers/startFaultProxy';
import { startRegistryTestNetwork, type Replica, type RegistryTestNetwork } from '../../helpers/startRegistryTestNetwork';
import { tokenFor } from '../../helpers/tokens';

const ENCOUNTERS = `query Own($id: ID!) { patient(nationalId: $id) { encounters { source { facilityCode } } } }`;

interface EncountersData {
  patient: { encounters: { source: { facilityCode: string } }[] } | null;
}

/** Polls until `done` holds; no wall-clock assertion. */
async function eventually<T>(probe: () => Promise<T> | T, done: (value: T) => boolean, attempts = 400): Promise<T> {
  let last = await probe();
  for (let i = 0; i < attempts && !done(last); i++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    last = await probe();
  }
  return last;
}

/**
 * The gateway's `limits.sourceQueue` (docs/configuration.md, docs/registry.md §1) on a real gateway:
 * with one fetch in flight (concurrency 1) and the queue full, a further fetch to that source is
 * refused at once with SOURCE_UNAVAILABLE ("busy") and never reaches it; the others are answered.
 */
describe('a source whose queue is full', () => {
  const logs = captureLogger();
  const env: NodeJS.ProcessEnv = {};
  const stateDir = mkdtempSync(join(tmpdir(), 'source-queue-'));
  let network: RegistryTestNetwork;
  let replica: Replica;
  let proxy: FaultProxy;
  let code: string;
  let patientId: string;
  const ownEncounters = async () => postGraphQL<EncountersData>(replica.gateway.url, ENCOUNTERS, { id: patientId }, await tokenFor('patient', { sub: patientId }));
  const queuedAt = async (): Promise<number | undefined> => {
    const { body } = await postGraphQL<{ sources: { code: string; health: { queued: number } | null }[] }>(replica.gateway.url, '{ sources { code health { queued } } }', {}, await tokenFor('admin', { sub: 'admin-queue' }));
    return body.data?.sources.find((s) => s.code === code)?.health?.queued;
  };

  beforeAll(async () => {
    network = await startRegistryTestNetwork(logs.logger);
    const person = examplePatient(network.population);
    patientId = person.nationalId;
    code = person.records[0]?.facilityCode ?? '';
    env[`SECRET_${code}`] = network.secretOf(code);
    proxy = await startFaultProxy(network.sourceOf(code).url);
    const seed = network.hospitals.map((h) => h.facility.code).filter((c) => c !== code).map(network.sourceOf);
    replica = await network.startReplica({ store: new FileSourceRecordStore(join(stateDir, 'registry.json')), seed, env, gateway: { sourceQueue: 1 } });
    const { body } = await postGraphQL(
      replica.gateway.url,
      `mutation($input: RegisterSourceInput!) { registerSource(input: $input) { code } }`,
      { input: { code, name: 'Narrow HIS', contract: 'clinical', url: proxy.url, signingSecretRef: `env:SECRET_${code}`, concurrency: 1 } },
      await tokenFor('admin', { sub: 'admin-queue' }),
    );
    if (body.errors) throw new Error(`registration failed: ${JSON.stringify(body.errors)}`);
  }, 120_000);

  afterAll(async () => {
    await replica?.stop();
    await proxy?.stop();
    await network?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('refuses a fetch beyond the queue with SOURCE_UNAVAILABLE without calling the source, and answers the ones in flight and queued', async () => {
    proxy.reset();
    proxy.setMode('hold');
    const first = ownEncounters();
    await eventually(() => proxy.inFlight(), (n) => n === 1);
    const second = ownEncounters();
    expect(await eventually(queuedAt, (n) => n === 1)).toBe(1);
    const refused = await ownEncounters();
    const busy = refused.body.errors?.find((e) => e.extensions?.facilityCode === code);
    expect(busy?.extensions?.code).toBe('SOURCE_UNAVAILABLE');
    expect(busy?.message).toContain('busy');
    expect(busy?.message).toContain('it was not called');
    // The other hospitals still answered: only that source's part is missing.
    expect(refused.body.data?.patient?.encounters.every((e) => e.source.facilityCode !== code)).toBe(true);
    expect(proxy.requests).toHaveLength(1);
    proxy.release();
    for (const { body } of await Promise.all([first, second])) {
      expect(body.errors ?? []).toEqual([]);
      expect(body.data?.patient?.encounters.some((e) => e.source.facilityCode === code)).toBe(true);
    }
    expect(proxy.requests).toHaveLength(2);
  });
});
