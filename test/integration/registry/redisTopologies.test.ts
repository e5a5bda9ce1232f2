import { parseGatewayConfig, type GatewayStateConfig } from '../../../gateway/config/parseGatewayConfig';
import { openGatewayState, type GatewayState } from '../../../gateway/config/openGatewayState';
import { RedisSourceRecordStore } from '../../../gateway/registry/RedisSourceRecordStore';
import { createRedisConnection } from '../../../core/redis/createRedisConnection';
import { examplePatient } from '../../../demo/examplePatient';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL } from '../../helpers/postGraphQL';
import { freePort, startRedisServer, type RunningRedisServer } from '../../helpers/startRedisServer';
import { startRedisCluster, startRedisSentinel, type RunningTopology } from '../../helpers/startRedisTopologies';
import { startRegistryTestNetwork, type Replica, type RegistryTestNetwork } from '../../helpers/startRegistryTestNetwork';
import { tokenFor } from '../../helpers/tokens';
import { sampleAuditEntry } from '../../unit/gateway/audit/sampleAuditEntry';

const SECRET = 'q7Vd2LxN9pRt4Kw8Zs1Hm6Jc3Fy5Ub0E';
const MASTER = 'pg-main';
const ENCOUNTERS = `query Own($id: ID!) { patient(nationalId: $id) { encounters { source { facilityCode } } } }`;

/** The `state` section of a gateway config, read by the real parser. */
function stateConfig(state: Record<string, unknown>): GatewayStateConfig {
  const raw = {
    auth: { kind: 'development' },
    identity: { url: 'http://identity:4001/', secret: SECRET },
    insurance: { url: 'http://insurance:4002/', secret: SECRET },
    hospitals: [],
    state: { kind: 'redis', ...state },
  };
  return parseGatewayConfig(raw, undefined, { NODE_ENV: 'development' }).state;
}

/**
 * README "State and Redis": the gateway's state in a Redis reached through Sentinel, or in a Redis
 * Cluster, each a set of real redis-server processes on free ports. Every Redis user takes the
 * same connection factory: the registry (through a gateway: register, then read back and query),
 * consent, grants, rate limits and the audit stream.
 */
describe.each([
  ['Sentinel', async () => startRedisSentinel(MASTER), (t: RunningTopology) => ({ sentinel: { masterName: MASTER, nodes: t.ports.map((p) => `127.0.0.1:${p}`) }, keyPrefix: 'pg-sentinel:' })],
  ['Cluster', startRedisCluster, (t: RunningTopology) => ({ cluster: { nodes: t.ports.map((p) => `127.0.0.1:${p}`) }, keyPrefix: '{pg-cluster}:' })],
] as const)('gateway state in Redis through %s', (_name, start, section) => {
  const logs = captureLogger();
  const env: NodeJS.ProcessEnv = {};
  let topology: RunningTopology;
  let config: Extract<GatewayStateConfig, { kind: 'redis' }>;
  let network: RegistryTestNetwork;
  let replica: Replica;
  let state: GatewayState;
  let code: string;
  let patientId: string;

  beforeAll(async () => {
    topology = await start();
    const parsed = stateConfig(section(topology));
    if (parsed.kind !== 'redis') throw new Error('expected a redis state');
    config = parsed;
    network = await startRegistryTestNetwork(logs.logger);
    const person = examplePatient(network.population);
    patientId = person.nationalId;
    code = person.records[0]?.facilityCode ?? '';
    env[`SECRET_${code}`] = network.secretOf(code);
    const seed = network.hospitals.map((h) => h.facility.code).filter((c) => c !== code).map(network.sourceOf);
    const store = await RedisSourceRecordStore.connect({ url: config.connection, keyPrefix: `${config.keyPrefix}registry:`, logger: logs.logger });
    replica = await network.startReplica({ store, seed, env });
    state = await openGatewayState(config, logs.logger);
  }, 120_000);

  afterAll(async () => {
    await state?.close();
    await replica?.stop();
    await network?.stop();
    await topology?.stop();
  });

  it('registers a source through the gateway, lists it, answers its data, and another reader of the store finds it', async () => {
    const { body } = await postGraphQL<{ registerSource: { code: string; routed: boolean } }>(
      replica.gateway.url,
      `mutation($input: RegisterSourceInput!) { registerSource(input: $input) { code routed } }`,
      { input: { code, name: 'Hospital over Redis', contract: 'clinical', url: network.sourceOf(code).url, signingSecretRef: `env:SECRET_${code}` } },
      await tokenFor('admin', { sub: 'admin-topology' }),
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.registerSource).toEqual({ code, routed: true });
    const listed = await postGraphQL<{ sources: { code: string; origin: string }[] }>(replica.gateway.url, '{ sources { code origin } }', {}, await tokenFor('admin'));
    expect(listed.body.data?.sources).toContainEqual({ code, origin: 'REGISTRY' });
    const answer = await postGraphQL<{ patient: { encounters: { source: { facilityCode: string } }[] } }>(replica.gateway.url, ENCOUNTERS, { id: patientId }, await tokenFor('patient', { sub: patientId }));
    expect(answer.body.data?.patient.encounters.some((e) => e.source.facilityCode === code)).toBe(true);
    const reader = await RedisSourceRecordStore.connect({ url: config.connection, keyPrefix: `${config.keyPrefix}registry:`, logger: logs.logger });
    try {
      expect((await reader.list()).map((r) => r.code)).toEqual([code]);
      expect(await reader.ping()).toBe(true);
    } finally {
      await reader.close();
    }
  });

  it('keeps consent, grants, rate limits and the audit stream in that Redis', async () => {
    const [a, b] = network.population.people.map((p) => p.nationalId);
    if (!a || !b) throw new Error('fixture: two people');
    await state.consent.set(a, { optedOutFacilityCodes: [code], optedOutCategories: [], updatedAt: '2026-01-01T00:00:00.000Z' });
    expect((await state.consent.getMany([a, b])).get(a)?.optedOutFacilityCodes).toEqual([code]);
    const now = Date.now();
    await state.grants.create({ sub: 'clinician-topology', nationalId: b, reason: 'test', grantedAt: new Date(now).toISOString(), expiresAt: new Date(now + 60_000).toISOString() });
    expect([...(await state.grants.activeFor('clinician-topology', [a, b]))]).toEqual([b]);
    const first = await state.rateLimiter.consume('principal-topology', 1, { capacity: 1, refillPerSecond: 0.001 });
    const second = await state.rateLimiter.consume('principal-topology', 1, { capacity: 1, refillPerSecond: 0.001 });
    expect([first.allowed, second.allowed]).toEqual([true, false]);
    const written = await state.audit.append(sampleAuditEntry());
    expect((await state.audit.read()).map((r) => r.seq)).toContain(written.seq);
    expect(await state.audit.verify()).toMatchObject({ kind: 'intact' });
    // Read back with a connection of its own: the keys are in this Redis, not in a fallback.
    const check = createRedisConnection(config.connection);
    try {
      expect(await check.exists(`${config.keyPrefix}rate:principal-topology`)).toBe(1);
      expect(await check.exists(`${config.keyPrefix}consent:${a}`)).toBe(1);
      expect(await check.xlen(`${config.keyPrefix}audit:stream`)).toBeGreaterThanOrEqual(1);
    } finally {
      check.disconnect();
    }
  });
});

/** README "State and Redis": consent and grant reads fail at once while Redis is down; they never wait for it. */
describe('consent and grants while their Redis is unreachable', () => {
  const logs = captureLogger();
  let server: RunningRedisServer;
  let state: GatewayState;

  beforeAll(async () => {
    server = await startRedisServer(await freePort());
    state = await openGatewayState(stateConfig({ url: `redis://127.0.0.1:${server.port}` }), logs.logger);
  }, 120_000);

  afterAll(async () => {
    await state?.close();
    await server?.stop();
  });

  it('rejects reads instead of queueing them until Redis returns', async () => {
    const id = '001085000001';
    // The state's connection fails fast even while it first connects: write once it is up.
    const directives = { optedOutFacilityCodes: ['01001'], optedOutCategories: [], updatedAt: null };
    for (let attempt = 0; attempt < 200; attempt++) {
      if (await state.consent.set(id, directives).then(() => true, () => false)) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect((await state.consent.getMany([id])).get(id)).toEqual(directives);
    await server.stop();
    await expect(state.consent.getMany([id])).rejects.toThrow();
    await expect(state.grants.activeFor('clinician-outage', [id])).rejects.toThrow();
  });
});
