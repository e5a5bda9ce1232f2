import { randomBytes } from 'node:crypto';
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
import { DEFAULT_SOURCE_CONCURRENCY } from '../../../gateway/sources/RegisteredSource';

const ENCOUNTERS = `query Own($id: ID!) { patient(nationalId: $id) { encounters { source { facilityCode } } } }`;
const HEALTH = '{ sources { code concurrency health { status lastErrorCode circuit inFlight queued } } }';
const METRICS_TOKEN = randomBytes(32).toString('hex');

interface EncountersData {
  patient: { encounters: { source: { facilityCode: string } }[] } | null;
}
interface HealthData {
  sources: { code: string; concurrency: number; health: { status: string; lastErrorCode: string | null; circuit: string; inFlight: number; queued: number } | null }[];
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
 * A registered source's limits and health on a real gateway (docs/registry.md §1, §3): its
 * `concurrency` bounds the fetches in flight to it (counted at the source), and `sources { health }`
 * and `/metrics` show the circuit breaker opening when it keeps failing.
 */
describe('a registered source: its concurrency limit and its health', () => {
  const logs = captureLogger();
  const env: NodeJS.ProcessEnv = {};
  const stateDir = mkdtempSync(join(tmpdir(), 'source-limits-'));
  let network: RegistryTestNetwork;
  let replica: Replica;
  let proxy: FaultProxy;
  let code: string;
  let patientId: string;
  const admin = (): Promise<string> => tokenFor('admin', { sub: 'admin-limits' });
  const ownEncounters = async () => postGraphQL<EncountersData>(replica.gateway.url, ENCOUNTERS, { id: patientId }, await tokenFor('patient', { sub: patientId }));
  const healthOf = async () => {
    const { body } = await postGraphQL<HealthData>(replica.gateway.url, HEALTH, {}, await admin());
    return body.data?.sources.find((s) => s.code === code);
  };

  beforeAll(async () => {
    network = await startRegistryTestNetwork(logs.logger);
    const person = examplePatient(network.population);
    patientId = person.nationalId;
    code = person.records[0]?.facilityCode ?? '';
    env[`SECRET_${code}`] = network.secretOf(code);
    proxy = await startFaultProxy(network.sourceOf(code).url);
    const seed = network.hospitals.map((h) => h.facility.code).filter((c) => c !== code).map(network.sourceOf);
    replica = await network.startReplica({
      store: new FileSourceRecordStore(join(stateDir, 'registry.json')),
      seed,
      env,
      gateway: { circuitBreaker: { failureThreshold: 2, openMs: 600_000 }, metrics: { token: METRICS_TOKEN } },
    });
    const { body } = await postGraphQL(
      replica.gateway.url,
      `mutation($input: RegisterSourceInput!) { registerSource(input: $input) { code } }`,
      { input: { code, name: 'Narrow HIS', contract: 'clinical', url: proxy.url, signingSecretRef: `env:SECRET_${code}`, concurrency: 1 } },
      await admin(),
    );
    if (body.errors) throw new Error(`registration failed: ${JSON.stringify(body.errors)}`);
  }, 120_000);

  afterAll(async () => {
    await replica?.stop();
    await proxy?.stop();
    await network?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('lists a config-file source with the limit it runs with (the gateway default), not 0', async () => {
    const { body } = await postGraphQL(replica.gateway.url, '{ sources { code concurrency } }', {}, await admin());
    const sources = (body.data as { sources: { code: string; concurrency: number }[] } | undefined)?.sources ?? [];
    const seeded = sources.filter((s) => s.code !== code);
    expect(seeded.length).toBeGreaterThan(0);
    for (const source of seeded) expect(source).toEqual({ code: source.code, concurrency: DEFAULT_SOURCE_CONCURRENCY });
    expect(sources.find((s) => s.code === code)?.concurrency).toBe(1);
  });

  it('sends at most `concurrency` fetches at once to the source; the others wait for a slot and are answered', async () => {
    proxy.reset();
    proxy.setMode('hold');
    const queries = [ownEncounters(), ownEncounters(), ownEncounters()];
    await eventually(() => proxy.inFlight(), (n) => n === 1);
    const waiting = await eventually(healthOf, (s) => s?.health?.queued === 2);
    expect(waiting?.health).toMatchObject({ inFlight: 1, queued: 2 });
    expect(proxy.inFlight()).toBe(1);
    proxy.release();
    const answers = await Promise.all(queries);
    for (const { body } of answers) {
      expect(body.errors ?? []).toEqual([]);
      expect(body.data?.patient?.encounters.some((e) => e.source.facilityCode === code)).toBe(true);
    }
    expect(proxy.maxInFlight()).toBe(1);
    expect(proxy.requests).toHaveLength(3);
  });

  it('lets as many fetches run at once as a raised limit allows', async () => {
    const { body } = await postGraphQL(replica.gateway.url, `mutation { updateSource(code: "${code}", input: { concurrency: 3 }) { concurrency } }`, {}, await admin());
    expect(body.errors).toBeUndefined();
    proxy.reset();
    proxy.setMode('hold');
    const queries = [ownEncounters(), ownEncounters(), ownEncounters()];
    expect(await eventually(() => proxy.inFlight(), (n) => n === 3)).toBe(3);
    proxy.release();
    await Promise.all(queries);
    expect(proxy.maxInFlight()).toBe(3);
  });

  it('shows the circuit OPEN, the source DEGRADED and its last error code in `sources` and in /metrics once it keeps failing', async () => {
    expect((await healthOf())?.health).toMatchObject({ status: 'UP', circuit: 'CLOSED', lastErrorCode: null });
    proxy.reset();
    proxy.setMode('down');
    for (let i = 0; i < 2; i++) {
      const { body } = await ownEncounters();
      expect(body.errors?.find((e) => e.extensions?.facilityCode === code)?.extensions?.code).toBe('SOURCE_UNAVAILABLE');
    }
    const sent = proxy.requests.length;
    const refused = await ownEncounters();
    expect(refused.body.errors?.find((e) => e.extensions?.facilityCode === code)?.message).toContain('repeated failures');
    expect(proxy.requests.length).toBe(sent);
    expect((await healthOf())?.health).toMatchObject({ status: 'DEGRADED', circuit: 'OPEN', lastErrorCode: 'SOURCE_UNAVAILABLE' });
    const response = await fetch(new URL('/metrics', replica.gateway.url), { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    const metrics = await response.text();
    expect(metrics).toContain(`patient_graph_source_circuit_state{source="${code}"} 2`);
    expect(metrics).toContain(`patient_graph_source_health_status{source="${code}"} 2`);
    expect(metrics).toContain(`patient_graph_source_last_error{source="${code}",code="SOURCE_UNAVAILABLE"} 1`);
    expect(metrics).toMatch(new RegExp(`patient_graph_source_latency_seconds\\{source="${code}",quantile="0.99"\\} [0-9.e-]+`));
  });
});
