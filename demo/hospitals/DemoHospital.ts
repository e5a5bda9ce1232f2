import type { ClinicalAdapter, Facility } from '../../adapters/sdk/ClinicalAdapter';
import { CountingAdapter } from '../../adapters/sdk/CountingAdapter';
import type { MatchOptions } from '../../adapters/sdk/matchPatients';
import { serveClinicalSubgraph } from '../../subgraphs/clinical/serveClinicalSubgraph';
import type { Logger } from '../../core/logging/logger';
import type { SubgraphSigning, SubgraphTls } from '../../subgraphs/serveSubgraph';
import type { Population } from '../population/types';

/**
 * One running demo hospital: a clinical subgraph over a real adapter of some kind (synthetic,
 * fhir-r4, sql-his, xml130) and the source behind it. What `startDemoNetwork` registers.
 */
export interface DemoHospital {
  readonly facility: Facility;
  /** Adapter kind: `synthetic`, `fhir-r4`, `sql-his`, `xml130`. */
  readonly system: string;
  /** GraphQL-over-HTTP endpoint of the hospital's clinical subgraph. */
  readonly url: string;
  /** The adapter as the subgraph calls it, counting calls (batching tests, benchmarks). */
  readonly calls: CountingAdapter;
  stop(): Promise<void>;
}

/** What every kind of demo hospital is started with. */
export interface DemoHospitalOptions {
  readonly facility: Facility;
  readonly population: Population;
  readonly logger: Logger;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Subgraph port; 0 (default) picks a free one. */
  readonly port?: number;
  readonly match?: MatchOptions;
  /** Request signing (target: the facility code). */
  readonly signing: SubgraphSigning;
  /** The demo network's analytics key, shared by its hospitals only. */
  readonly analyticsKey?: Buffer;
  /** Serve over HTTPS (and mutual TLS with `clientCa`). */
  readonly tls?: SubgraphTls;
}

/**
 * Serves a demo hospital's clinical subgraph over its adapter, counting the adapter's calls.
 * `release` frees what the kind opened (database, folder, FHIR server) after the server stops;
 * if serving fails, the caller still owns those resources.
 */
export async function serveDemoHospital(options: DemoHospitalOptions, adapter: ClinicalAdapter, release: () => Promise<void>): Promise<DemoHospital> {
  const { facility } = options;
  const calls = new CountingAdapter(adapter);
  const running = await serveClinicalSubgraph({
    facility,
    adapter: calls,
    logger: options.logger.child({ facilityCode: facility.code }),
    ...(options.match ? { match: options.match } : {}),
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    signing: options.signing,
    ...(options.analyticsKey ? { analyticsKey: options.analyticsKey } : {}),
    ...(options.tls ? { tls: options.tls } : {}),
  });
  return {
    facility,
    system: adapter.system,
    url: running.url,
    calls,
    stop: async () => {
      await running.stop();
      await release();
    },
  };
}
