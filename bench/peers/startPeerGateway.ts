import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestListener } from 'node:http';
import type { Logger } from '../../core/logging/logger';
import { composeSupergraph } from '../../gateway/supergraph/composeSupergraph';
import type { GatewayKind, PeerConfig } from './peerConfig';
import { signingFor } from './signingFor';

/** Starts one gateway of the comparison in front of the subgraphs of `config`; resolves to its GraphQL URL. */
export async function startPeerGateway(kind: GatewayKind, config: PeerConfig, logger: Logger): Promise<string> {
  switch (kind) {
    case 'patient-graph':
      return startPatientGraph(config, logger);
    case 'apollo-gateway':
      return startApolloGateway(config);
    case 'hive-gateway':
      return startHiveGateway(config);
  }
}

function urls(config: PeerConfig): { identity: string; insurance: string; hospital: string } {
  if (!config.identityUrl || !config.insuranceUrl || !config.hospitalUrl) throw new Error('benchmark: the subgraphs are not started');
  return { identity: config.identityUrl, insurance: config.insuranceUrl, hospital: config.hospitalUrl };
}

/** Every guard on: JWT, field policies, consent, care relationship, hash-chained audit, signing; rate limits off (throughput, not limits, is measured). */
async function startPatientGraph(config: PeerConfig, logger: Logger): Promise<string> {
  // Loaded here, not at the top: each contender's process holds only its own gateway's modules.
  const [{ FileAuditLog }, { DEVELOPMENT_AUTH }, { InMemoryRateLimiter }, { startGateway }, { StaticSourceRegistry }, { FileConsentStore }, { InMemoryGrantStore }] = await Promise.all([
    import('../../gateway/audit/FileAuditLog'),
    import('../../gateway/auth/developmentAuth'),
    import('../../gateway/limits/InMemoryRateLimiter'),
    import('../../gateway/server/startGateway'),
    import('../../gateway/sources/StaticSourceRegistry'),
    import('../../gateway/state/FileConsentStore'),
    import('../../gateway/state/InMemoryGrantStore'),
  ]);
  const { identity, insurance, hospital } = urls(config);
  const stateDir = mkdtempSync(join(tmpdir(), 'patient-graph-bench-'));
  const secret = (target: string): string => config.secrets[target] ?? '';
  const gateway = await startGateway({
    host: '127.0.0.1',
    port: 0,
    auth: DEVELOPMENT_AUTH,
    audit: await FileAuditLog.open(join(stateDir, 'audit.jsonl')),
    consent: new FileConsentStore(join(stateDir, 'consent.json')),
    grants: new InMemoryGrantStore(),
    rateLimits: { limiter: new InMemoryRateLimiter(), limitFor: () => null },
    identity: { code: 'identity', name: 'patient index', contract: 'identity', url: identity, timeoutMs: 10_000, secret: secret('identity') },
    insurance: { code: 'insurance', name: 'VSS insurance service', contract: 'insurance', url: insurance, timeoutMs: 10_000, secret: secret('insurance') },
    clinicalSources: new StaticSourceRegistry([
      { code: config.facilityCode, name: config.facilityName, contract: 'clinical', url: hospital, timeoutMs: 5_000, secret: secret(config.facilityCode) },
    ]),
    logger,
    introspection: false,
  });
  return gateway.url;
}

function peerSupergraph(config: PeerConfig): string {
  const { identity, insurance, hospital } = urls(config);
  return composeSupergraph([
    { name: 'identity', url: identity },
    { name: 'clinical', url: hospital },
    { name: 'insurance', url: insurance },
  ]);
}

/** `@apollo/gateway` + Apollo Server as their documentation sets them up; only the signing header is added. */
async function startApolloGateway(config: PeerConfig): Promise<string> {
  const [{ ApolloGateway, RemoteGraphQLDataSource }, { ApolloServer }, { startStandaloneServer }] = await Promise.all([
    import('@apollo/gateway'),
    import('@apollo/server'),
    import('@apollo/server/standalone'),
  ]);
  const sign = signingFor(config);
  const gateway = new ApolloGateway({
    supergraphSdl: peerSupergraph(config),
    buildService: ({ url }) => {
      const source = new RemoteGraphQLDataSource({ url });
      const fetcher = source.fetcher;
      source.fetcher = (target, init) => fetcher(target, { ...init, headers: { ...init?.headers, ...sign(target, String(init?.body ?? '')) } });
      return source;
    },
  });
  const server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: 0 } });
  return url;
}

/** The part of `@graphql-hive/gateway-runtime` the benchmark uses. */
interface HiveRuntimeModule {
  createGatewayRuntime(this: void, config: {
    supergraph: string;
    logging: boolean;
    transportEntries: Record<string, { options: { deduplicateInflightRequests: boolean } }>;
    plugins: () => { onFetch: (payload: HiveFetch) => void }[];
  }): RequestListener;
}

interface HiveFetch {
  readonly url: string;
  readonly options: { readonly headers?: unknown; readonly body?: unknown };
  setOptions(this: void, options: { readonly headers?: unknown; readonly body?: unknown }): void;
}

/**
 * Loaded by name at run time, not imported: its type declarations augment graphql's error
 * extensions for the whole program, which would change how the gateway's own code typechecks.
 */
const HIVE_RUNTIME: string = '@graphql-hive/gateway-runtime';

/** Hive Gateway runtime with in-flight de-duplication off, inbound (its default) and outbound. */
async function startHiveGateway(config: PeerConfig): Promise<string> {
  const sign = signingFor(config);
  const { createGatewayRuntime } = (await import(HIVE_RUNTIME)) as HiveRuntimeModule;
  const runtime = createGatewayRuntime({
    supergraph: peerSupergraph(config),
    logging: false,
    transportEntries: { '*.http': { options: { deduplicateInflightRequests: false } } },
    plugins: () => [
      {
        onFetch: ({ url, options, setOptions }: HiveFetch) => {
          setOptions({ ...options, headers: { ...(options.headers as Record<string, string>), ...sign(url, typeof options.body === 'string' ? options.body : '') } });
        },
      },
    ],
  });
  const server = createServer(runtime);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}
