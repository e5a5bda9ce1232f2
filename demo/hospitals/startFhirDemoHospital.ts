import { createFhirR4Adapter } from '../../adapters/fhir-r4/createFhirR4Adapter';
import type { FhirR4Adapter } from '../../adapters/fhir-r4/FhirR4Adapter';
import { fhirR4Config, type FhirR4Config } from '../../adapters/fhir-r4/FhirR4Config';
import type { Facility } from '../../adapters/sdk/ClinicalAdapter';
import { CountingAdapter } from '../../adapters/sdk/CountingAdapter';
import type { MatchOptions } from '../../adapters/sdk/matchPatients';
import type { Logger } from '../../core/logging/logger';
import type { SubgraphSigning } from '../../subgraphs/serveSubgraph';
import { loadPopulationIntoFhir, type FhirLoadResult } from '../fhir/loadPopulationIntoFhir';
import { startMedplumFhirServer, type RunningMedplumFhirServer } from '../fhir/startMedplumFhirServer';
import type { Population } from '../population/types';
import type { DemoHospital } from './DemoHospital';
import { serveClinicalSubgraph } from '../../adapters/sdk/serveClinicalSubgraph';

export interface FhirDemoHospitalOptions {
  readonly facility: Facility;
  readonly population: Population;
  readonly logger: Logger;
  /** Default 127.0.0.1 (the FHIR server and the subgraph both listen there). */
  readonly host?: string;
  /** Subgraph port; 0 (default) picks a free one. */
  readonly port?: number;
  readonly match?: MatchOptions;
  /** Request signing (target: the facility code); without it the hospital accepts unsigned requests. */
  readonly signing: SubgraphSigning;
  /** Adapter settings over the demo's (e.g. a small page size to exercise paging). */
  readonly adapter?: Partial<Omit<FhirR4Config, 'baseUrl'>>;
}

export interface FhirDemoHospital extends DemoHospital {
  /** The Medplum FHIR server behind the hospital. */
  readonly fhir: RunningMedplumFhirServer;
  /** The adapter itself: `stats()` counts FHIR searches and HTTP requests. */
  readonly adapter: FhirR4Adapter;
  readonly loaded: FhirLoadResult;
}

/**
 * The adapter settings the demo FHIR hospital runs with. Medplum 4.5.2 rejects a comma-separated
 * list of dates (HTTP 400), so birth dates are searched in one FHIR batch; its request lines may
 * be up to 64 KB (startMedplumFhirServer), so 100 patients' OR-lists fit in one URL.
 */
export const DEMO_FHIR_ADAPTER_SETTINGS: Partial<Omit<FhirR4Config, 'baseUrl'>> = {
  birthDateSearch: 'batch',
  maxUrlLength: 32_000,
  pageSize: 200,
};

/**
 * One demo hospital whose records live in a real FHIR server: a Medplum server loaded with the
 * facility's charts of the population, a fhir-r4 adapter over its REST API (counted by a
 * CountingAdapter), and the clinical subgraph over that (STYLE.md §9: one fixture set).
 */
export async function startFhirDemoHospital(options: FhirDemoHospitalOptions): Promise<FhirDemoHospital> {
  const { facility } = options;
  const logger = options.logger.child({ facilityCode: facility.code });
  const host = options.host ?? '127.0.0.1';
  const fhir = await startMedplumFhirServer({ logger, host });
  try {
    const loaded = await loadPopulationIntoFhir(fhir.repo, options.population, facility.code);
    const adapter = createFhirR4Adapter(fhirR4Config(fhir.baseUrl, { ...DEMO_FHIR_ADAPTER_SETTINGS, ...options.adapter }), { logger, facility });
    const calls = new CountingAdapter(adapter);
    const running = await serveClinicalSubgraph({
      facility,
      adapter: calls,
      logger,
      ...(options.match ? { match: options.match } : {}),
      host,
      ...(options.port !== undefined ? { port: options.port } : {}),
      signing: options.signing,
    });
    logger.info('fhir_hospital.started', { patients: loaded.patients, resources: loaded.resources, loadMs: loaded.durationMs });
    return {
      facility,
      system: adapter.system,
      url: running.url,
      calls,
      fhir,
      adapter,
      loaded,
      stop: async () => {
        await running.stop();
        await fhir.stop();
      },
    };
  } catch (error) {
    await fhir.stop();
    throw error;
  }
}
