import { VssClient } from '../adapters/vss/VssClient';
import { VssVisitHistoryLocator } from '../adapters/vss/VssVisitHistoryLocator';
import type { Logger } from '../core/logging/logger';
import type { RegisteredSource } from '../gateway/sources/RegisteredSource';
import { StaticSourceRegistry } from '../gateway/sources/StaticSourceRegistry';
import { startGateway, type RunningGateway } from '../gateway/server/startGateway';
import { createIdentitySubgraph } from '../subgraphs/identity/createIdentitySubgraph';
import { InMemoryPatientIndex } from '../subgraphs/identity/InMemoryPatientIndex';
import { serveInsuranceSubgraph } from '../subgraphs/insurance/serveInsuranceSubgraph';
import { serveSubgraph, type RunningSubgraph } from '../subgraphs/serveSubgraph';
import type { DemoHospital } from './hospitals/DemoHospital';
import { startDemoHospital } from './hospitals/startDemoHospital';
import { buildDemoPatientIndex } from './identity/buildDemoPatientIndex';
import { createDemoPopulation } from './population/generatePopulation';
import type { DemoFacility, Population } from './population/types';
import { DEMO_VSS_ACCOUNT } from './vss/demoVssAccount';
import { startVssSimulator, type RunningVssSimulator } from './vss/VssSimulator';

export interface DemoNetworkOptions {
  readonly logger: Logger;
  /** Default: the seeded demo population. */
  readonly population?: Population;
  /** Which demo hospitals to run (default: all of the population's facilities). */
  readonly facilities?: readonly DemoFacility[];
  readonly host?: string;
  /** Gateway port; 0 picks a free one. */
  readonly gatewayPort?: number;
  /** Deadline of one fetch to a hospital. */
  readonly hospitalTimeoutMs?: number;
  /** Deadline of one fetch to the identity or insurance subgraph. */
  readonly serviceTimeoutMs?: number;
  readonly introspection?: boolean;
  /**
   * Where the gateway should reach a hospital, given where it listens (default: there). Tests put
   * a fault-injecting proxy in between.
   */
  readonly hospitalEndpoint?: (facility: DemoFacility, url: string) => Promise<string>;
  readonly circuitBreaker?: { readonly failureThreshold: number; readonly openMs: number };
}

export interface DemoNetwork {
  readonly population: Population;
  readonly gateway: RunningGateway;
  readonly hospitals: readonly DemoHospital[];
  readonly vss: RunningVssSimulator;
  readonly vssClient: VssClient;
  readonly identity: RunningSubgraph;
  readonly insurance: RunningSubgraph;
  stop(): Promise<void>;
}

/**
 * Starts the whole demo network on this machine (what `npm start`, the integration tests and the
 * benchmarks run): a VSS simulator, the identity and insurance subgraphs over it, one clinical
 * subgraph per demo hospital, and the gateway in front. Embedded defaults only: no Redis,
 * PostgreSQL or Docker.
 */
export async function startDemoNetwork(options: DemoNetworkOptions): Promise<DemoNetwork> {
  const { logger } = options;
  const host = options.host ?? '127.0.0.1';
  const population = options.population ?? createDemoPopulation();
  const stops: (() => Promise<void>)[] = [];
  try {
    const vss = await startVssSimulator({ population, host, username: DEMO_VSS_ACCOUNT.username, logger: logger.child({ service: 'vss-simulator' }) });
    stops.push(() => vss.stop());
    const vssClient = new VssClient({ baseUrl: vss.url, ...DEMO_VSS_ACCOUNT, logger });

    const identitySubgraph = createIdentitySubgraph({
      index: new InMemoryPatientIndex(buildDemoPatientIndex(population)),
      locator: new VssVisitHistoryLocator(vssClient),
      logger,
    });
    const identity = await serveSubgraph({ name: 'identity', schema: identitySubgraph.schema, context: identitySubgraph.createContext, logger, host });
    stops.push(() => identity.stop());
    const insurance = await serveInsuranceSubgraph({ vss: vssClient, logger, host });
    stops.push(() => insurance.stop());

    const hospitals = await Promise.all(
      (options.facilities ?? population.facilities).map((facility) => startDemoHospital({ facility, population, logger, host })),
    );
    for (const hospital of hospitals) stops.push(() => hospital.stop());

    const clinicalSources: RegisteredSource[] = [];
    for (const hospital of hospitals) {
      const url = options.hospitalEndpoint ? await options.hospitalEndpoint(hospital.facility, hospital.url) : hospital.url;
      clinicalSources.push({ code: hospital.facility.code, name: hospital.facility.name, contract: 'clinical', url, timeoutMs: options.hospitalTimeoutMs ?? 5_000 });
    }
    const serviceTimeoutMs = options.serviceTimeoutMs ?? 10_000;
    const gateway = await startGateway({
      host,
      port: options.gatewayPort ?? 0,
      identity: { code: 'identity', name: 'patient index', contract: 'identity', url: identity.url, timeoutMs: serviceTimeoutMs },
      insurance: { code: 'insurance', name: 'VSS insurance service', contract: 'insurance', url: insurance.url, timeoutMs: serviceTimeoutMs },
      clinicalSources: new StaticSourceRegistry(clinicalSources),
      logger,
      introspection: options.introspection ?? true,
      ...(options.circuitBreaker ? { circuitBreaker: options.circuitBreaker } : {}),
    });
    stops.push(() => gateway.stop());

    return { population, gateway, hospitals, vss, vssClient, identity, insurance, stop: () => stopAll(stops) };
  } catch (error) {
    await stopAll(stops);
    throw error;
  }
}

/** Stops in reverse start order: the gateway first, the VSS simulator last. */
async function stopAll(stops: readonly (() => Promise<void>)[]): Promise<void> {
  for (const stop of [...stops].reverse()) {
    await stop().catch(() => undefined);
  }
}
