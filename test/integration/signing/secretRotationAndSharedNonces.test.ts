import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { generateSigningSecret } from '../../../core/security/generateSigningSecret';
import { RedisNonceStore } from '../../../core/security/RedisNonceStore';
import { startDemoHospital, type SyntheticDemoHospital } from '../../../demo/hospitals/startDemoHospital';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import { DEFAULT_MAX_SKEW_MS } from '../../../subgraphs/http/requireSignature';
import { captureLogger } from '../../helpers/captureLogger';
import { postRequest, signedPost, signGraphQLRequest } from '../../helpers/signedPost';
import { freePort, startRedisServer, type RunningRedisServer } from '../../helpers/startRedisServer';

const SDL = '{ _service { sdl } }';

/** A source's signing secret rotated with no refused request, and one replay guard for all its replicas. */
describe('source signing across a secret rotation and across replicas', () => {
  const logs = captureLogger();
  const population = createDemoPopulation(40);
  const facility = population.facilities[0] ?? { code: '01001', name: 'x' };
  const oldSecret = generateSigningSecret();
  const newSecret = generateSigningSecret();
  const started: SyntheticDemoHospital[] = [];
  const connections: Redis[] = [];
  let redisServer: RunningRedisServer;

  const hospital = async (signing: Parameters<typeof startDemoHospital>[0]['signing']): Promise<SyntheticDemoHospital> => {
    const running = await startDemoHospital({ facility, population, logger: logs.logger, signing });
    started.push(running);
    return running;
  };
  const sharedStore = async (port: number, prefix: string): Promise<RedisNonceStore> => {
    const redis = new Redis(port, '127.0.0.1', { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => 200, lazyConnect: true });
    redis.on('error', () => undefined);
    connections.push(redis);
    await redis.connect();
    return new RedisNonceStore(redis, prefix, DEFAULT_MAX_SKEW_MS);
  };

  beforeAll(async () => {
    redisServer = await startRedisServer(await freePort());
  }, 60_000);

  afterAll(async () => {
    for (const running of started) await running.stop();
    for (const redis of connections) redis.disconnect();
    await redisServer?.stop();
  });

  it('accepts the new and the previous secret during a rotation, and only the new one after it', async () => {
    const during = await hospital({ secret: newSecret, previousSecret: oldSecret, target: facility.code });
    expect((await signedPost(during.url, SDL, {}, { secret: oldSecret, target: facility.code })).status).toBe(200);
    expect((await signedPost(during.url, SDL, {}, { secret: newSecret, target: facility.code })).status).toBe(200);
    expect((await signedPost(during.url, SDL, {}, { secret: generateSigningSecret(), target: facility.code })).status).toBe(401);
    const after = await hospital({ secret: newSecret, target: facility.code });
    expect((await signedPost(after.url, SDL, {}, { secret: newSecret, target: facility.code })).status).toBe(200);
    const refused = await signedPost(after.url, SDL, {}, { secret: oldSecret, target: facility.code });
    expect(refused.status).toBe(401);
    expect(refused.body.errors?.[0]?.message).toBe('Invalid request signature.');
  });

  it('refuses a request replayed to another replica of the same source when they share a Redis nonce store', async () => {
    const prefix = `nonce-test:${randomUUID()}:`;
    const replicaA = await hospital({ secret: newSecret, target: facility.code, nonceStore: await sharedStore(redisServer.port, prefix) });
    const replicaB = await hospital({ secret: newSecret, target: facility.code, nonceStore: await sharedStore(redisServer.port, prefix) });
    const request = signGraphQLRequest(SDL, {}, { secret: newSecret, target: facility.code });
    expect((await postRequest(replicaA.url, request)).status).toBe(200);
    const replayed = await postRequest(replicaB.url, request);
    expect(replayed.status).toBe(401);
    expect(replayed.body.errors?.[0]?.message).toBe('Replayed request signature: this request was already received.');
    expect((await postRequest(replicaB.url, signGraphQLRequest(SDL, {}, { secret: newSecret, target: facility.code }))).status).toBe(200);
  });

  it('refuses requests it cannot check against replays while the shared store is down (fail closed)', async () => {
    const replica = await hospital({ secret: newSecret, target: facility.code, nonceStore: await sharedStore(redisServer.port, `nonce-test:${randomUUID()}:`) });
    expect((await signedPost(replica.url, SDL, {}, { secret: newSecret, target: facility.code })).status).toBe(200);
    await redisServer.stop('SIGKILL');
    const refused = await signedPost(replica.url, SDL, {}, { secret: newSecret, target: facility.code });
    expect(refused.status).toBe(401);
    expect(refused.body.errors?.[0]?.message).toBe('The request could not be checked against replays; retry shortly.');
  });
});
