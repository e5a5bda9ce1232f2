import { CLINICAL_RESOURCE_KINDS, type ClinicalResourceKind } from '../../contracts/model/clinical';
import type { AnalyticsFilter, ClinicalAdapter, PatientLookup, PatientResource } from './ClinicalAdapter';

/** Calls an adapter received: the batching guarantees of docs/architecture.md §4 are stated in these. */
export interface AdapterCallStats {
  readonly findPatients: number;
  readonly loadResources: Readonly<Record<ClinicalResourceKind, number>>;
  readonly diagnosisCounts: number;
  readonly encounterCount: number;
  readonly population: number;
}

/**
 * Wraps any adapter and counts the calls it receives (for metrics, tests and benchmarks: a query
 * about 100 patients must cost a constant number of calls, whatever the adapter kind).
 */
export class CountingAdapter implements ClinicalAdapter {
  private counts = emptyCounts();

  constructor(private readonly inner: ClinicalAdapter) {}

  get system(): string {
    return this.inner.system;
  }

  stats(): AdapterCallStats {
    return { ...this.counts, loadResources: { ...this.counts.loadResources } };
  }

  resetStats(): void {
    this.counts = emptyCounts();
  }

  findPatients(lookup: PatientLookup): ReturnType<ClinicalAdapter['findPatients']> {
    this.counts.findPatients += 1;
    return this.inner.findPatients(lookup);
  }

  loadResources<K extends ClinicalResourceKind>(kind: K, patientLocalIds: readonly string[]): Promise<readonly PatientResource<K>[]> {
    this.counts.loadResources[kind] += 1;
    return this.inner.loadResources(kind, patientLocalIds);
  }

  diagnosisCounts(filter: AnalyticsFilter): ReturnType<ClinicalAdapter['diagnosisCounts']> {
    this.counts.diagnosisCounts += 1;
    return this.inner.diagnosisCounts(filter);
  }

  encounterCount(filter: AnalyticsFilter): ReturnType<ClinicalAdapter['encounterCount']> {
    this.counts.encounterCount += 1;
    return this.inner.encounterCount(filter);
  }

  get population(): ClinicalAdapter['population'] {
    const inner = this.inner;
    if (!inner.population) return undefined;
    return (query, pseudonymOf) => {
      this.counts.population += 1;
      return inner.population?.(query, pseudonymOf) ?? Promise.resolve([]);
    };
  }

  /** Counted as a population question (an analytics call at the source). */
  get cohort(): ClinicalAdapter['cohort'] {
    const inner = this.inner;
    if (!inner.cohort) return undefined;
    return (query, pseudonymOf, after, first) => {
      this.counts.population += 1;
      return inner.cohort?.(query, pseudonymOf, after, first) ?? Promise.resolve({ rows: [], hasNextPage: false, endPlace: null });
    };
  }

  /** Passed through uncounted (the feed is read by the patient index, not by clinical queries). */
  get patientsChangedSince(): ClinicalAdapter['patientsChangedSince'] {
    const inner = this.inner;
    if (!inner.patientsChangedSince) return undefined;
    return (since, first, after) => inner.patientsChangedSince?.(since, first, after) ?? Promise.resolve({ patients: [], end: null, hasNextPage: false });
  }

  async close(): Promise<void> {
    await this.inner.close?.();
  }
}

function emptyCounts(): { findPatients: number; loadResources: Record<ClinicalResourceKind, number>; diagnosisCounts: number; encounterCount: number; population: number } {
  return {
    findPatients: 0,
    loadResources: Object.fromEntries(CLINICAL_RESOURCE_KINDS.map((k) => [k, 0])) as Record<ClinicalResourceKind, number>,
    diagnosisCounts: 0,
    encounterCount: 0,
    population: 0,
  };
}
