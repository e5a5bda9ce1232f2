import type { Facility } from '../../adapters/sdk/ClinicalAdapter';
import type { CountingAdapter } from '../../adapters/sdk/CountingAdapter';

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
