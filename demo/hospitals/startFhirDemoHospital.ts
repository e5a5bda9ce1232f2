import { randomBytes } from 'node:crypto';
import { createFhirR4Adapter } from '../../adapters/fhir-r4/createFhirR4Adapter';
import type { FhirR4Adapter } from '../../adapters/fhir-r4/FhirR4Adapter';
import { fhirR4Config, type FhirR4Config } from '../../adapters/fhir-r4/FhirR4Config';
import { loadPopulationIntoFhir, type FhirLoadResult } from '../fhir/loadPopulationIntoFhir';
import { startMedplumFhirServer, type RunningMedplumFhirServer } from '../fhir/startMedplumFhirServer';
import { serveDemoHospital, type DemoHospital, type DemoHospitalOptions } from './DemoHospital';

export interface FhirDemoHospitalOptions extends DemoHospitalOptions {
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
 * CountingAdapter), and the clinical subgraph over that (docs/style.md §9: one fixture set).
 */
export async function startFhirDemoHospital(options: FhirDemoHospitalOptions): Promise<FhirDemoHospital> {
  const { facility } = options;
  const logger = options.logger.child({ facilityCode: facility.code });
  const host = options.host ?? '127.0.0.1';
  // The demo's FHIR server requires the credentials its adapter uses, like a hospital's would.
  const accessToken = randomBytes(32).toString('base64url');
  const fhir = await startMedplumFhirServer({ logger, host, accessToken });
  try {
    const loaded = await loadPopulationIntoFhir(fhir.repo, options.population, facility.code);
    const adapter = createFhirR4Adapter(
      fhirR4Config(fhir.baseUrl, { ...DEMO_FHIR_ADAPTER_SETTINGS, auth: { kind: 'bearer', token: accessToken }, ...options.adapter }),
      { logger, facility },
    );
    const hospital = await serveDemoHospital({ ...options, host }, adapter, () => fhir.stop());
    logger.info('fhir_hospital.started', { patients: loaded.patients, resources: loaded.resources, loadMs: loaded.durationMs });
    return { ...hospital, fhir, adapter, loaded };
  } catch (error) {
    await fhir.stop();
    throw error;
  }
}
