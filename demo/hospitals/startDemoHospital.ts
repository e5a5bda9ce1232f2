import { serveDemoHospital, type DemoHospital, type DemoHospitalOptions } from './DemoHospital';
import { SyntheticAdapter } from './SyntheticAdapter';

export type { DemoHospitalOptions };

export interface SyntheticDemoHospital extends DemoHospital {
  /** The source behind it: `stats()` counts calls, `setFault()` makes it misbehave. */
  readonly adapter: SyntheticAdapter;
}

/**
 * Serves one synthetic hospital: the clinical contract over its charts of the population
 * (docs/style.md §9: the one fixture set, shared by tests, benchmarks and `npm start`).
 */
export async function startDemoHospital(options: DemoHospitalOptions): Promise<SyntheticDemoHospital> {
  const adapter = new SyntheticAdapter(options.population, options.facility.code);
  return { ...(await serveDemoHospital(options, adapter, async () => undefined)), adapter };
}
