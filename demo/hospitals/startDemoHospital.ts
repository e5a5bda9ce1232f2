import type { Facility } from '../../adapters/sdk/ClinicalAdapter';
import { CountingAdapter } from '../../adapters/sdk/CountingAdapter';
import type { DemoHospital } from './DemoHospital';
import type { MatchOptions } from '../../adapters/sdk/matchPatients';
import type { Logger } from '../../core/logging/logger';
import type { SubgraphSigning } from '../../subgraphs/serveSubgraph';
import type { Population } from '../population/types';
import { SyntheticAdapter } from './SyntheticAdapter';
import { serveClinicalSubgraph } from '../../adapters/sdk/serveClinicalSubgraph';

export interface DemoHospitalOptions {
  readonly facility: Facility;
  readonly population: Population;
  readonly logger: Logger;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  readonly match?: MatchOptions;
  /** Request signing (target: the facility code); without it the hospital accepts unsigned requests. */
  readonly signing: SubgraphSigning;
}

export interface SyntheticDemoHospital extends DemoHospital {
  /** The source behind it: `stats()` counts calls, `setFault()` makes it misbehave. */
  readonly adapter: SyntheticAdapter;
}

/**
 * Serves one synthetic hospital: the clinical contract over its charts of the population
 * (STYLE.md §9: the one fixture set, shared by tests, benchmarks and `npm start`).
 */
export async function startDemoHospital(options: DemoHospitalOptions): Promise<SyntheticDemoHospital> {
  const { facility } = options;
  const adapter = new SyntheticAdapter(options.population, facility.code);
  const calls = new CountingAdapter(adapter);
  const logger = options.logger.child({ facilityCode: facility.code });
  const running = await serveClinicalSubgraph({
    facility,
    adapter: calls,
    logger,
    ...(options.match ? { match: options.match } : {}),
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    signing: options.signing,
  });
  return { facility, system: adapter.system, url: running.url, adapter, calls, stop: () => running.stop() };
}
