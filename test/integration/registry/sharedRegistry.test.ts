import { randomUUID } from 'node:crypto';
import { buildSubgraphSchema } from '@apollo/subgraph';
import Redis from 'ioredis';
import { parse } from 'graphql';
import { generateSigningSecret } from '../../../core/security/generateSigningSecret';
import { examplePatient } from '../../../demo/examplePatient';
import { RedisSourceRecordStore } from '../../../gateway/registry/RedisSourceRecordStore';
import { loadContract } from '../../../contracts/loadContract';
import { serveSubgraph, type RunningSubgraph } from '../../../subgraphs/serveSubgraph';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL } from '../../helpers/postGraphQL';
import { startMisbehavingSource, type MisbehavingSource } from '../../helpers/startMisbehavingSource';
import { startRegistryTestNetwork, type Replica, type RegistryTestNetwork } from '../../helpers/startRegistryTestNetwork';
import { tokenFor } from '../../helpers/tokens';

const REDIS_URL = 'redis://127.0.0.1:6379';
const REGISTER = `mutation Register($input: RegisterSourceInput!) {
  registerSource(input: $input) { code name status origin routed registeredBy }
}`;
const SOURCES = '{ sources { code status origin routed registeredBy } }';
const ENCOUNTERS = `query Own($id: ID!) { patient(nationalId: $id) { facilityCodes encounters { source { facilityCode } } } }`;

interface EncountersData {
  patient: { facilityCodes: string[]; encounters: { source: { facilityCode: string } }[] } | null;
}

/** Polls until `done` holds (the pub/sub change reaches the other replica); no wall-clock assertion. */
async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, attempts = 100): Promise<T> {
  let last = await probe();
  for (let i = 0; i < attempts && !done(last); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await probe();
  }
  return last;
}

/**
 * Two gateway replicas sharing one real Redis (own key prefix): a hospital registered through one
 * answers through the other; a restarted replica finds the registry intact; refused
 * registrations change nothing (docs/registry.md).
 */
describe('the source registry shared by gateway replicas over Redis', () => {
  const logs = captureLogger();
  const prefix = `registry-test:${process.pid}:${randomUUID()}:`;
  const env: NodeJS.ProcessEnv = {};
  let network: RegistryTestNetwork;
  let replicaA: Replica;
  let replicaB: Replica;
  let lateCode: string;
  let patientId: string;
  let brokenSource: RunningSubgraph;
  let outOfOrder: MisbehavingSource;
  let testPatients: string[];
  const admin = (): Promise<string> => tokenFor('admin', { sub: 'admin-lan' });

  const storeFor = (): Promise<RedisSourceRecordStore> => RedisSourceRecordStore.connect({ url: REDIS_URL, keyPrefix: prefix, logger: logs.logger });
  const ownEncounters = async (replica: Replica) =>
    postGraphQL<EncountersData>(replica.gateway.url, ENCOUNTERS, { id: patientId }, await tokenFor('patient', { sub: patientId }));

  beforeAll(async () => {
    network = await startRegistryTestNetwork(logs.logger);
    const person = examplePatient(network.population);
    patientId = person.nationalId;
    lateCode = person.records[0]?.facilityCode ?? '';
    env[`SECRET_${lateCode}`] = network.secretOf(lateCode);
    testPatients = network.population.people.filter((p) => p.records.some((r) => r.facilityCode === lateCode && r.hasNationalId)).slice(0, 3).map((p) => p.nationalId);
    outOfOrder = await startMisbehavingSource(network.sourceOf(lateCode).url, 'out-of-order', { secret: network.secretOf(lateCode), target: lateCode });
    const seed = network.hospitals.map((h) => h.facility.code).filter((code) => code !== lateCode).map(network.sourceOf);
    replicaA = await network.startReplica({ store: await storeFor(), seed, env });
    replicaB = await network.startReplica({ store: await storeFor(), seed, env });
    // A source whose SDL breaks the clinical contract (Patient.nationalId retyped), correctly signed.
    const contractSdl = loadContract('clinical').sdl;
    const brokenSdl = contractSdl.replace('nationalId: ID! @policy', 'nationalId: Int! @policy');
    if (brokenSdl === contractSdl) throw new Error('the test could not break the contract SDL');
    env.SECRET_BROKEN = generateSigningSecret();
    brokenSource = await serveSubgraph({
      name: 'broken',
      schema: buildSubgraphSchema({ typeDefs: parse(brokenSdl) }),
      context: async () => ({}),
      logger: logs.logger,
      host: '127.0.0.1',
      signing: { secret: env.SECRET_BROKEN, target: '01002' },
    });
  }, 120_000);

  afterAll(async () => {
    await replicaA?.stop();
    await replicaB?.stop();
    await brokenSource?.stop();
    await outOfOrder?.stop();
    await network?.stop();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('answers SOURCE_NOT_REGISTERED for a facility the locator names before it registers', async () => {
    const { body } = await ownEncounters(replicaB);
    expect(body.data?.patient?.facilityCodes).toContain(lateCode);
    expect(body.data?.patient?.encounters.some((e) => e.source.facilityCode === lateCode)).toBe(false);
    expect(body.errors?.find((e) => e.extensions?.facilityCode === lateCode)?.extensions?.code).toBe('SOURCE_NOT_REGISTERED');
  });

  it('refuses a registration whose SDL breaks the contract, quoting the composition error, and changes nothing', async () => {
    const hospital = network.hospitals[0];
    if (!hospital) throw new Error('no hospital');
    const { body } = await postGraphQL(
      replicaA.gateway.url,
      REGISTER,
      { input: { code: '01002', name: 'Broken HIS', contract: 'clinical', url: brokenSource.url, signingSecretRef: 'env:SECRET_BROKEN' } },
      await admin(),
    );
    const error = body.errors?.[0];
    expect(error?.extensions?.code).toBe('REGISTRATION_REFUSED');
    expect(error?.extensions?.failedChecks).toEqual(['contract']);
    expect(error?.message).toContain('Type of field "Patient.nationalId" is incompatible across subgraphs');
    const listed = await postGraphQL<{ sources: { code: string }[] }>(replicaA.gateway.url, SOURCES, {}, await admin());
    expect(listed.body.data?.sources.map((s) => s.code)).not.toContain('01002');
  });

  it('refuses a taken or malformed code, an unreadable secret and a wrong secret, each named, and changes nothing', async () => {
    const seeded = network.hospitals.find((h) => h.facility.code !== lateCode)?.facility.code ?? '';
    const attempts = [
      { input: { code: seeded, secretRef: `env:SECRET_${lateCode}` }, failed: 'code' },
      { input: { code: '99999', secretRef: `env:SECRET_${lateCode}` }, failed: 'code' },
      { input: { code: lateCode, secretRef: 'env:NOT_SET_ANYWHERE' }, failed: 'signing-secret' },
      { input: { code: lateCode, secretRef: 'env:SECRET_BROKEN' }, failed: 'signed-link' },
    ];
    for (const attempt of attempts) {
      const { body } = await postGraphQL(
        replicaA.gateway.url,
        REGISTER,
        { input: { code: attempt.input.code, name: 'Attempt', contract: 'clinical', url: network.sourceOf(lateCode).url, signingSecretRef: attempt.input.secretRef } },
        await admin(),
      );
      expect(body.errors?.[0]?.extensions?.code).toBe('REGISTRATION_REFUSED');
      expect(body.errors?.[0]?.extensions?.failedChecks).toContain(attempt.failed);
    }
    expect(replicaA.registry.listed().filter((s) => s.origin === 'registry')).toEqual([]);
  });

  it('runs the conformance kit: a source answering out of order is refused with the failed check', async () => {
    const { body } = await postGraphQL(
      replicaA.gateway.url,
      REGISTER,
      { input: { code: lateCode, name: 'Out of order', contract: 'clinical', url: outOfOrder.url, signingSecretRef: `env:SECRET_${lateCode}`, testPatients } },
      await admin(),
    );
    expect(body.errors?.[0]?.extensions?.code).toBe('REGISTRATION_REFUSED');
    expect(body.errors?.[0]?.extensions?.failedChecks).toContain('conformance: one-entity-per-representation');
    expect(body.errors?.[0]?.message).toContain('must come back in the order of the representations');
    expect(replicaA.registry.find(lateCode)).toBeUndefined();
  });

  it('refuses registration to registrars and clinicians, and lets registrars read the list', async () => {
    const input = { code: lateCode, name: 'Late', contract: 'clinical', url: network.sourceOf(lateCode).url, signingSecretRef: `env:SECRET_${lateCode}` };
    for (const role of ['registrar', 'clinician', 'analyst'] as const) {
      const { body } = await postGraphQL(replicaA.gateway.url, REGISTER, { input }, await tokenFor(role, { facilityCode: lateCode }));
      expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const asRegistrar = await postGraphQL<{ sources: { code: string }[] }>(replicaA.gateway.url, SOURCES, {}, await tokenFor('registrar', { facilityCode: lateCode }));
    expect(asRegistrar.body.errors).toBeUndefined();
    expect(asRegistrar.body.data?.sources.length).toBe(network.hospitals.length - 1);
    const asClinician = await postGraphQL(replicaA.gateway.url, SOURCES, {}, await tokenFor('clinician', { facilityCode: lateCode }));
    expect(asClinician.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(replicaA.registry.get(lateCode)).toBeUndefined();
  });

  it('registers through one replica and answers the new hospital through the other', async () => {
    const { body } = await postGraphQL<{ registerSource: { code: string; status: string; origin: string; routed: boolean; registeredBy: string } }>(
      replicaA.gateway.url,
      REGISTER,
      { input: { code: lateCode, name: 'Late hospital', contract: 'clinical', url: network.sourceOf(lateCode).url, signingSecretRef: `env:SECRET_${lateCode}`, testPatients } },
      await admin(),
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.registerSource).toEqual({ code: lateCode, name: 'Late hospital', status: 'ACTIVE', origin: 'REGISTRY', routed: true, registeredBy: 'admin-lan' });
    const answer = await eventually(
      () => ownEncounters(replicaB),
      (r) => r.body.data?.patient?.encounters.some((e) => e.source.facilityCode === lateCode) === true,
    );
    expect(answer.body.errors ?? []).toEqual([]);
    expect(answer.body.data?.patient?.encounters.some((e) => e.source.facilityCode === lateCode)).toBe(true);
    const health = await postGraphQL<{ sources: { code: string; health: { status: string; p50Ms: number | null; lastErrorCode: string | null } }[] }>(
      replicaB.gateway.url,
      '{ sources { code health { status p50Ms lastErrorCode } } }',
      {},
      await tokenFor('registrar', { facilityCode: lateCode }),
    );
    const late = health.body.data?.sources.find((s) => s.code === lateCode)?.health;
    expect(late?.status).toBe('UP');
    expect(late?.p50Ms).toEqual(expect.any(Number));
    expect(late?.lastErrorCode).toBeNull();
  });

  it('audits the registration like any other access: who, which operation, outcome', async () => {
    const records = await replicaA.audit.read({ sub: 'admin-lan' });
    const registration = records.find((r) => r.fields.includes('Mutation.registerSource') && r.outcome === 'success');
    expect(registration?.principal.role).toBe('admin');
    expect(records.filter((r) => r.fields.includes('Mutation.registerSource')).length).toBeGreaterThanOrEqual(2);
  });

  it('re-checks a changed secret reference before storing it, and keeps the working one when it fails', async () => {
    const { body } = await postGraphQL(
      replicaA.gateway.url,
      `mutation { updateSource(code: "${lateCode}", input: { signingSecretRef: "env:SECRET_BROKEN" }) { code } }`,
      {},
      await admin(),
    );
    expect(body.errors?.[0]?.extensions?.code).toBe('REGISTRATION_REFUSED');
    expect(body.errors?.[0]?.extensions?.failedChecks).toEqual(['signed-link']);
    expect(replicaA.registry.find(lateCode)?.record.signingSecretRef).toBe(`env:SECRET_${lateCode}`);
    const renamed = await postGraphQL<{ updateSource: { name: string } }>(
      replicaA.gateway.url,
      `mutation { updateSource(code: "${lateCode}", input: { name: "Late hospital (renamed)" }) { name } }`,
      {},
      await admin(),
    );
    expect(renamed.body.data?.updateSource.name).toBe('Late hospital (renamed)');
  });

  it('finds the registry intact after a replica restarts', async () => {
    await replicaB.stop();
    const seed = network.hospitals.map((h) => h.facility.code).filter((code) => code !== lateCode).map(network.sourceOf);
    replicaB = await network.startReplica({ store: await storeFor(), seed, env });
    const ready = await fetch(new URL('/readyz', replicaB.gateway.url));
    expect(ready.status).toBe(200);
    expect(replicaB.registry.get(lateCode)?.url).toBe(network.sourceOf(lateCode).url);
    const { body } = await ownEncounters(replicaB);
    expect(body.data?.patient?.encounters.some((e) => e.source.facilityCode === lateCode)).toBe(true);
  }, 60_000);

  it('stops routing a disabled source on every replica, and removes it', async () => {
    const disabled = await postGraphQL<{ disableSource: { status: string; routed: boolean } }>(
      replicaB.gateway.url,
      `mutation { disableSource(code: "${lateCode}") { status routed } }`,
      {},
      await admin(),
    );
    expect(disabled.body.data?.disableSource).toEqual({ status: 'DISABLED', routed: false });
    const answer = await eventually(
      () => ownEncounters(replicaA),
      (r) => r.body.errors?.some((e) => e.extensions?.code === 'SOURCE_NOT_REGISTERED') === true,
    );
    expect(answer.body.data?.patient?.encounters.some((e) => e.source.facilityCode === lateCode)).toBe(false);
    const removed = await postGraphQL(replicaA.gateway.url, `mutation { removeSource(code: "${lateCode}") { code } }`, {}, await admin());
    expect(removed.body.errors).toBeUndefined();
    const again = await postGraphQL(replicaA.gateway.url, `mutation { removeSource(code: "${lateCode}") { code } }`, {}, await admin());
    expect(again.body.errors?.[0]?.extensions?.code).toBe('SOURCE_UNKNOWN');
    await eventually(async () => replicaB.registry.find(lateCode), (found) => found === undefined);
    expect(replicaB.registry.find(lateCode)).toBeUndefined();
  });

  it('refuses to change a source of the config file through the API', async () => {
    const seeded = network.hospitals.find((h) => h.facility.code !== lateCode)?.facility.code ?? '';
    const { body } = await postGraphQL(replicaA.gateway.url, `mutation { disableSource(code: "${seeded}") { code } }`, {}, await admin());
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(replicaA.registry.get(seeded)).toBeDefined();
  });
});
