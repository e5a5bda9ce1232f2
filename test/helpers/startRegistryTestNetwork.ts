import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VssClient } from '../../adapters/vss/VssClient';
import { VssVisitHistoryLocator } from '../../subgraphs/identity/VssVisitHistoryLocator';
import type { Logger } from '../../core/logging/logger';
import { generateSigningSecret } from '../../core/security/generateSigningSecret';
import { startDemoHospital, type SyntheticDemoHospital } from '../../demo/hospitals/startDemoHospital';
import { buildDemoPatientIndex } from '../../demo/identity/buildDemoPatientIndex';
import { createDemoPopulation } from '../../demo/population/generatePopulation';
import type { Population } from '../../demo/population/types';
import { DEMO_VSS_ACCOUNT } from '../../demo/vss/demoVssAccount';
import { startVssSimulator } from '../../demo/vss/VssSimulator';
import { FileAuditLog } from '../../gateway/audit/FileAuditLog';
import { DEVELOPMENT_AUTH } from '../../gateway/auth/developmentAuth';
import type { SourceRecordStore } from '../../gateway/registry/SourceRecordStore';
import { LiveSourceRegistry } from '../../gateway/registry/LiveSourceRegistry';
import { SourceRegistrar } from '../../gateway/registry/SourceRegistrar';
import { SourceHealthTracker } from '../../gateway/registry/SourceHealthTracker';
import { kitConformanceRunner } from '../../gateway/conformance/kitConformanceRunner';
import { startGateway, type GatewayOptions, type RunningGateway } from '../../gateway/server/startGateway';
import type { RegisteredSource } from '../../gateway/sources/RegisteredSource';
import { FileConsentStore } from '../../gateway/state/FileConsentStore';
import { InMemoryGrantStore } from '../../gateway/state/InMemoryGrantStore';
import { createIdentitySubgraph } from '../../subgraphs/identity/createIdentitySubgraph';
import { InMemoryPatientIndex } from '../../subgraphs/identity/InMemoryPatientIndex';
import { serveInsuranceSubgraph } from '../../subgraphs/insurance/serveInsuranceSubgraph';
import { serveSubgraph } from '../../subgraphs/serveSubgraph';

/** Identity, insurance and every demo hospital (synthetic) running; no gateway yet. */
export interface RegistryTestNetwork {
  readonly population: Population;
  readonly hospitals: readonly SyntheticDemoHospital[];
  readonly secretOf: (code: string) => string;
  readonly identity: RegisteredSource;
  readonly insurance: RegisteredSource;
  /** The hospitals as config-file sources (inline secrets). */
  readonly sourceOf: (code: string) => RegisteredSource;
  /** Starts a gateway replica whose registry lives in `store`, seeded with `seed`. */
  startReplica(options: { store: SourceRecordStore; seed: readonly RegisteredSource[]; env: NodeJS.ProcessEnv; gateway?: Pick<GatewayOptions, 'circuitBreaker' | 'metrics' | 'sourceQueue'> }): Promise<Replica>;
  stop(): Promise<void>;
}

export interface Replica {
  readonly gateway: RunningGateway;
  readonly registry: LiveSourceRegistry;
  readonly audit: FileAuditLog;
  stop(): Promise<void>;
}

export async function startRegistryTestNetwork(logger: Logger): Promise<RegistryTestNetwork> {
  const population = createDemoPopulation();
  const stops: (() => Promise<void>)[] = [];
  const secrets = new Map<string, string>();
  const secretOf = (code: string): string => {
    const secret = secrets.get(code) ?? generateSigningSecret();
    secrets.set(code, secret);
    return secret;
  };
  const vss = await startVssSimulator({ population, host: '127.0.0.1', username: DEMO_VSS_ACCOUNT.username, logger });
  stops.push(() => vss.stop());
  const vssClient = new VssClient({ baseUrl: vss.url, ...DEMO_VSS_ACCOUNT, logger });
  const identitySubgraph = createIdentitySubgraph({ index: new InMemoryPatientIndex(buildDemoPatientIndex(population)), locator: new VssVisitHistoryLocator(vssClient), logger });
  const identity = await serveSubgraph({ name: 'identity', schema: identitySubgraph.schema, context: identitySubgraph.createContext, logger, host: '127.0.0.1', signing: { secret: secretOf('identity'), target: 'identity' } });
  stops.push(() => identity.stop());
  const insurance = await serveInsuranceSubgraph({ vss: vssClient, logger, host: '127.0.0.1', signing: { secret: secretOf('insurance'), target: 'insurance' } });
  stops.push(() => insurance.stop());
  const hospitals = await Promise.all(
    population.facilities.map((facility) => startDemoHospital({ facility, population, logger, signing: { secret: secretOf(facility.code), target: facility.code } })),
  );
  for (const hospital of hospitals) stops.push(() => hospital.stop());
  const stateDir = mkdtempSync(join(tmpdir(), 'registry-helper-state-'));
  const sourceOf = (code: string): RegisteredSource => {
    const hospital = hospitals.find((h) => h.facility.code === code);
    if (!hospital) throw new Error(`no demo hospital ${code}`);
    return { code, name: hospital.facility.name, contract: 'clinical', url: hospital.url, timeoutMs: 5000, secret: secretOf(code) };
  };
  let replicas = 0;
  return {
    population,
    hospitals,
    secretOf,
    sourceOf,
    identity: { code: 'identity', name: 'patient index', contract: 'identity', url: identity.url, timeoutMs: 10_000, secret: secretOf('identity') },
    insurance: { code: 'insurance', name: 'insurance', contract: 'insurance', url: insurance.url, timeoutMs: 10_000, secret: secretOf('insurance') },
    async startReplica({ store, seed, env, gateway: overrides }) {
      replicas += 1;
      const registry = await LiveSourceRegistry.open({ store, seed, logger, env, reconcileMs: 1000 });
      const registrar = new SourceRegistrar({ registry, logger, env, conformance: kitConformanceRunner });
      const audit = await FileAuditLog.open(join(stateDir, `audit-${replicas}.jsonl`));
      const gateway = await startGateway({
        host: '127.0.0.1',
        port: 0,
        auth: DEVELOPMENT_AUTH,
        audit,
        consent: new FileConsentStore(join(stateDir, `consent-${replicas}.json`)),
        grants: new InMemoryGrantStore(),
        identity: { code: 'identity', name: 'patient index', contract: 'identity', url: identity.url, timeoutMs: 10_000, secret: secretOf('identity') },
        insurance: { code: 'insurance', name: 'insurance', contract: 'insurance', url: insurance.url, timeoutMs: 10_000, secret: secretOf('insurance') },
        clinicalSources: registry,
        sourceRegistry: { live: registry, registrar, health: new SourceHealthTracker() },
        logger,
        introspection: false,
        ...overrides,
      });
      return {
        gateway,
        registry,
        audit,
        stop: async () => {
          await gateway.stop();
          await registry.close();
          await audit.close();
        },
      };
    },
    stop: async () => {
      for (const stop of [...stops].reverse()) await stop().catch(() => undefined);
    },
  };
}
