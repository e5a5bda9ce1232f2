import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { generateSigningSecret } from '../../../core/security/generateSigningSecret';
import { FileAuditLog } from '../../../gateway/audit/FileAuditLog';
import { DEVELOPMENT_AUTH } from '../../../gateway/auth/developmentAuth';
import { LiveSourceRegistry } from '../../../gateway/registry/LiveSourceRegistry';
import { RedisSourceRecordStore } from '../../../gateway/registry/RedisSourceRecordStore';
import { SourceRegistrar } from '../../../gateway/registry/SourceRegistrar';
import { startGateway, type RunningGateway } from '../../../gateway/server/startGateway';
import { FileConsentStore } from '../../../gateway/state/FileConsentStore';
import { InMemoryGrantStore } from '../../../gateway/state/InMemoryGrantStore';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL } from '../../helpers/postGraphQL';
import { tokenFor } from '../../helpers/tokens';
import { freePort, startRedisServer, type RunningRedisServer } from '../../helpers/startRedisServer';

/**
 * `GET /readyz` of a gateway whose registry lives on a private Redis, and the periodic reconcile
 * that repairs a replica which missed a change message.
 */
describe('a gateway replica with its registry on Redis', () => {
  const logs = captureLogger();
  let redisServer: RunningRedisServer;
  let registry: LiveSourceRegistry;
  let gateway: RunningGateway;
  let audit: FileAuditLog;
  const env = { READINESS_TEST_SECRET: generateSigningSecret() };
  const prefix = 'registry-readiness:';

  beforeAll(async () => {
    redisServer = await startRedisServer(await freePort());
    const store = await RedisSourceRecordStore.connect({ url: `redis://127.0.0.1:${redisServer.port}`, keyPrefix: prefix, logger: logs.logger });
    registry = await LiveSourceRegistry.open({ store, seed: [], logger: logs.logger, env, reconcileMs: 200 });
    const dir = mkdtempSync(join(tmpdir(), 'registry-readiness-'));
    audit = await FileAuditLog.open(join(dir, 'audit.jsonl'));
    const unused = { timeoutMs: 1000, secret: generateSigningSecret() };
    gateway = await startGateway({
      host: '127.0.0.1',
      port: 0,
      auth: DEVELOPMENT_AUTH,
      audit,
      consent: new FileConsentStore(join(dir, 'consent.json')),
      grants: new InMemoryGrantStore(),
      identity: { code: 'identity', name: 'identity', contract: 'identity', url: 'http://127.0.0.1:9/', ...unused },
      insurance: { code: 'insurance', name: 'insurance', contract: 'insurance', url: 'http://127.0.0.1:9/', ...unused },
      clinicalSources: registry,
      sourceRegistry: { live: registry, registrar: new SourceRegistrar({ registry, logger: logs.logger, env }) },
      readinessChecks: [{ name: 'registry-store', check: () => registry.store.ping() }],
      logger: logs.logger,
      introspection: false,
    });
  }, 60_000);

  afterAll(async () => {
    await gateway?.stop();
    await registry?.close();
    await audit?.close();
    await redisServer?.stop();
  });

  it('picks up a change whose pub/sub message it missed, at the next reconcile', async () => {
    const redis = new Redis(redisServer.port, '127.0.0.1');
    const record = {
      code: '01001',
      name: 'Written behind the replica’s back',
      contract: 'clinical',
      url: 'http://127.0.0.1:9/',
      signingSecretRef: 'env:READINESS_TEST_SECRET',
      limits: { deadlineMs: 5000, concurrency: 16 },
      status: 'active',
      registeredBy: 'admin-1',
      registeredAt: new Date().toISOString(),
    };
    // Stored without a PUBLISH: only the periodic reconcile can tell the replica.
    await redis.hset(`${prefix}sources`, record.code, JSON.stringify(record));
    await redis.quit();
    for (let i = 0; i < 100 && !registry.get('01001'); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(registry.get('01001')?.name).toBe(record.name);
  });

  it('is ready with the supergraph, the registry and the store; 503 naming the store once Redis is gone', async () => {
    const ready = await fetch(new URL('/readyz', gateway.url));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: ['supergraph', 'registry', 'registry-store'] });
    await redisServer.stop('SIGKILL');
    const notReady = await fetch(new URL('/readyz', gateway.url));
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({ status: 'not-ready', notReady: ['registry-store'] });
    // Routing keeps the last registry it loaded while the store is away.
    expect(registry.get('01001')).toBeDefined();
    const health = await fetch(new URL('/healthz', gateway.url));
    expect(health.status).toBe(200);
  });

  it('refuses a registration while the store is down with REGISTRY_UNAVAILABLE, changing nothing', async () => {
    const { body } = await postGraphQL(
      gateway.url,
      'mutation { disableSource(code: "01001") { code } }',
      {},
      await tokenFor('admin'),
    );
    expect(body.errors?.[0]?.extensions?.code).toBe('REGISTRY_UNAVAILABLE');
    expect(registry.get('01001')).toBeDefined();
  });
});
