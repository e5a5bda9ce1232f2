import { setTimeout as sleep } from 'node:timers/promises';
import type {
  AnalyticsFilter,
  ClinicalAdapter,
  PatientLookup,
  PatientResource,
  SourcePatient,
} from '../../adapters/sdk/ClinicalAdapter';
import { SOURCE_IDENTIFIER_SYSTEMS } from '../../adapters/sdk/sourceIdentifierSystems';
import { pageOfChanges, type PatientChangeCursor, type PatientChangePage } from '../../adapters/sdk/PatientChanges';
import { socialInsuranceNumberOf } from '../../core/identifiers/insuranceNumber';
import { CLINICAL_RESOURCE_KINDS, type ClinicalResourceKind, type DiagnosisCount, type Encounter } from '../../contracts/model/clinical';
import { toVietnamDate } from '../../core/time/vietnamTime';
import type { FacilityRecord, Population } from '../population/types';
import { countPopulation } from '../../adapters/sdk/population/countPopulation';
import { populationReadWindow } from '../../adapters/sdk/population/populationReadWindow';
import { cohortPageOf } from '../../adapters/sdk/population/cohortPageOf';
import type { CohortQuery, CohortSourcePage } from '../../adapters/sdk/population/CohortQuery';
import { encounterFactOf, pseudonymBasisOf } from '../../adapters/sdk/population/encounterFactOf';
import type { PseudonymBasis } from '../../adapters/sdk/population/patientPseudonym';
import type { PopulationQuery, PopulationRow } from '../../adapters/sdk/population/PopulationQuery';

/** Calls the adapter received since construction or the last `resetStats()`. */
export interface SyntheticAdapterStats {
  readonly findPatients: number;
  readonly loadResources: Readonly<Record<ClinicalResourceKind, number>>;
  readonly diagnosisCounts: number;
  readonly encounterCount: number;
}

/** A misbehaving source, for fail-soft and timeout tests: every call fails, or answers late. */
export type SyntheticFault =
  | { readonly kind: 'fail'; readonly message: string }
  | { readonly kind: 'delay'; readonly ms: number };

/** One encounter reduced to what the analytics queries need. */
interface EncounterFact {
  /** Viet Nam calendar date of `period.start`; null when the encounter has no valid start. */
  readonly date: string | null;
  readonly primary: { readonly code: string; readonly display: string | null } | null;
  readonly encounter: Encounter;
  readonly patient: SourcePatient;
}

/**
 * A `ClinicalAdapter` (system `synthetic`) over one facility's charts of a synthetic `Population`:
 * the demo's stand-in for a hospital system. It holds what a real source would: a chart registered
 * without the national ID (or insurance number) returns that field as null, so the SDK must match
 * it by another rule. Indexes are built once here; each call is a few Map look-ups.
 */
export class SyntheticAdapter implements ClinicalAdapter {
  readonly system = 'synthetic';
  readonly facilityCode: string;

  private readonly patients = new Map<string, SourcePatient>();
  private readonly charts = new Map<string, FacilityRecord['resources']>();
  private readonly byNationalId = new Map<string, string[]>();
  private readonly bySocialInsuranceNumber = new Map<string, string[]>();
  private readonly byBirthDate = new Map<string, string[]>();
  /** Dated encounters sorted by Viet Nam date, so a window is two binary searches. */
  private readonly dated: EncounterFact[] = [];
  private readonly undated: EncounterFact[] = [];
  /** When each chart's demographics last changed here (the registration feed, `patientChanges`). */
  private readonly updatedAt = new Map<string, string>();
  private counts = emptyStats();
  private fault: SyntheticFault | null = null;

  /** Every chart of the population counts as registered when the adapter starts. */
  private readonly registeredAt = new Date().toISOString();

  constructor(population: Population, facilityCode: string) {
    if (!population.facilities.some((f) => f.code === facilityCode)) {
      throw new Error(`SyntheticAdapter: facility ${facilityCode} is not part of the population`);
    }
    this.facilityCode = facilityCode;
    for (const person of population.people) {
      for (const record of person.records) {
        if (record.facilityCode !== facilityCode) continue;
        if (this.patients.has(record.localPatientId)) {
          throw new Error(`SyntheticAdapter: two charts at facility ${facilityCode} share a local patient id`);
        }
        const patient: SourcePatient = {
          localId: record.localPatientId,
          nationalId: record.hasNationalId ? person.nationalId : null,
          insuranceNumber: record.hasInsuranceNumber ? person.insuranceNumber : null,
          fullName: person.name.full,
          birthDate: person.birthDate,
          gender: person.gender,
          identifiers: [
            ...(record.hasNationalId ? [{ system: SOURCE_IDENTIFIER_SYSTEMS.NATIONAL_ID, value: person.nationalId }] : []),
            ...(record.hasInsuranceNumber && person.insuranceNumber !== null ? [{ system: SOURCE_IDENTIFIER_SYSTEMS.INSURANCE_NUMBER, value: person.insuranceNumber }] : []),
            { system: SOURCE_IDENTIFIER_SYSTEMS.MEDICAL_RECORD_NUMBER, value: record.localPatientId },
          ],
        };
        this.index(patient, record);
      }
    }
    this.dated.sort((a, b) => compare(a.date ?? '', b.date ?? ''));
  }

  async findPatients(lookup: PatientLookup): Promise<readonly SourcePatient[]> {
    this.counts = { ...this.counts, findPatients: this.counts.findPatients + 1 };
    await this.misbehave();
    const ids = new Set<string>();
    const collect = (index: Map<string, string[]>, keys: readonly string[]): void => {
      for (const key of keys) for (const id of index.get(key) ?? []) ids.add(id);
    };
    collect(this.byNationalId, lookup.nationalIds);
    collect(this.bySocialInsuranceNumber, lookup.socialInsuranceNumbers);
    collect(this.byBirthDate, lookup.birthDates);
    return [...ids].sort(compare).flatMap((id) => this.patients.get(id) ?? []);
  }

  async loadResources<K extends ClinicalResourceKind>(kind: K, patientLocalIds: readonly string[]): Promise<readonly PatientResource<K>[]> {
    this.counts = { ...this.counts, loadResources: { ...this.counts.loadResources, [kind]: this.counts.loadResources[kind] + 1 } };
    await this.misbehave();
    return [...new Set(patientLocalIds)].flatMap((patientLocalId) =>
      (this.charts.get(patientLocalId)?.[kind] ?? []).map((resource) => ({ patientLocalId, resource })),
    );
  }

  /** Encounters per primary diagnosis (QĐ 130 MA_BENH_CHINH), windowed on the start date in Viet Nam. */
  async diagnosisCounts(filter: AnalyticsFilter): Promise<readonly DiagnosisCount[]> {
    this.counts = { ...this.counts, diagnosisCounts: this.counts.diagnosisCounts + 1 };
    await this.misbehave();
    const byCode = new Map<string, { display: string | null; encounters: number }>();
    for (const fact of this.window(filter)) {
      if (!fact.primary) continue;
      const row = byCode.get(fact.primary.code) ?? { display: fact.primary.display, encounters: 0 };
      byCode.set(fact.primary.code, { display: row.display ?? fact.primary.display, encounters: row.encounters + 1 });
    }
    return [...byCode].map(([code, row]) => ({ code, ...row }));
  }

  async encounterCount(filter: AnalyticsFilter): Promise<number> {
    this.counts = { ...this.counts, encounterCount: this.counts.encounterCount + 1 };
    await this.misbehave();
    return this.window(filter).length;
  }

  /** A population question over the facility's encounters in the window: an index scan, as a real source's GROUP BY. */
  async population(query: PopulationQuery, pseudonymOf: (basis: PseudonymBasis) => string): Promise<readonly PopulationRow[]> {
    await this.misbehave();
    const pseudonyms = new Map<string, string>();
    const pseudonymFor = (patient: SourcePatient): string => {
      let pseudonym = pseudonyms.get(patient.localId);
      if (pseudonym === undefined) {
        pseudonym = pseudonymOf(pseudonymBasisOf(patient, this.facilityCode));
        pseudonyms.set(patient.localId, pseudonym);
      }
      return pseudonym;
    };
    const facts = this.window(populationReadWindow(query)).map((fact) => encounterFactOf(fact.encounter, fact.patient, query.measure === 'PATIENTS' ? pseudonymFor(fact.patient) : ''));
    return countPopulation(facts, query, this.facilityCode);
  }

  /** A page of cohort rows over the facility's encounters in the window, keyed by the encounter's local id. */
  async cohort(query: CohortQuery, pseudonymOf: (basis: PseudonymBasis) => string, after: string | null, first: number): Promise<CohortSourcePage> {
    await this.misbehave();
    const pseudonyms = new Map<string, string>();
    const facts = this.window(query).map((fact) => {
      let pseudonym = pseudonyms.get(fact.patient.localId);
      if (pseudonym === undefined) {
        pseudonym = pseudonymOf(pseudonymBasisOf(fact.patient, this.facilityCode));
        pseudonyms.set(fact.patient.localId, pseudonym);
      }
      return { key: fact.encounter.id, fact: encounterFactOf(fact.encounter, fact.patient, pseudonym) };
    });
    return cohortPageOf(facts, query, this.facilityCode, after, first);
  }

  stats(): SyntheticAdapterStats {
    return this.counts;
  }

  resetStats(): void {
    this.counts = emptyStats();
  }

  /** The registration feed: charts registered (at construction) or changed at or after `since`. */
  async patientsChangedSince(since: string, first: number, after: PatientChangeCursor | null): Promise<PatientChangePage> {
    await this.misbehave();
    const all = [...this.patients.values()].map((p) => ({ ...p, updatedAt: this.updatedAt.get(p.localId) ?? new Date(0).toISOString() }));
    return pageOfChanges(all, since, first, after);
  }

  /**
   * The front desk corrects a chart's demographics (a birth date typed wrongly, a name spelled
   * anew): the look-up indexes follow, and the chart is in the feed again from now on.
   */
  updateDemographics(localId: string, change: Partial<Pick<SourcePatient, 'nationalId' | 'insuranceNumber' | 'fullName' | 'birthDate' | 'gender'>>): void {
    const before = this.patients.get(localId);
    if (before === undefined) throw new Error(`SyntheticAdapter: no chart ${localId} at facility ${this.facilityCode}`);
    for (const index of [this.byNationalId, this.bySocialInsuranceNumber, this.byBirthDate]) {
      for (const [key, ids] of index) {
        const kept = ids.filter((id) => id !== localId);
        if (kept.length === 0) index.delete(key);
        else index.set(key, kept);
      }
    }
    const after: SourcePatient = { ...before, ...change };
    this.patients.set(localId, after);
    this.indexKeys(after);
    this.updatedAt.set(localId, new Date().toISOString());
  }

  /** Makes every following call fail or answer late; null restores normal service. */
  setFault(fault: SyntheticFault | null): void {
    this.fault = fault;
  }

  private index(patient: SourcePatient, record: FacilityRecord): void {
    this.patients.set(patient.localId, patient);
    this.charts.set(patient.localId, record.resources);
    this.updatedAt.set(patient.localId, this.registeredAt);
    this.indexKeys(patient);
    for (const encounter of record.resources.encounters) {
      const fact = toEncounterFact(encounter, patient);
      (fact.date === null ? this.undated : this.dated).push(fact);
    }
  }

  private indexKeys(patient: SourcePatient): void {
    if (patient.nationalId) push(this.byNationalId, patient.nationalId, patient.localId);
    const bhxh = patient.insuranceNumber ? socialInsuranceNumberOf(patient.insuranceNumber) : undefined;
    if (bhxh) push(this.bySocialInsuranceNumber, bhxh, patient.localId);
    if (patient.birthDate) push(this.byBirthDate, patient.birthDate, patient.localId);
  }

  /** Encounters whose start falls in the window (inclusive); undated ones only when there is no window. */
  private window(filter: AnalyticsFilter): readonly EncounterFact[] {
    if (filter.from === null && filter.to === null) return [...this.dated, ...this.undated];
    const start = filter.from === null ? 0 : firstIndex(this.dated, (f) => (f.date ?? '') >= (filter.from ?? ''));
    const end = filter.to === null ? this.dated.length : firstIndex(this.dated, (f) => (f.date ?? '') > (filter.to ?? ''));
    return this.dated.slice(start, Math.max(start, end));
  }

  private async misbehave(): Promise<void> {
    const fault = this.fault;
    if (fault === null) return;
    switch (fault.kind) {
      case 'fail':
        throw new Error(fault.message);
      case 'delay':
        await sleep(fault.ms);
        return;
    }
  }
}

function toEncounterFact(encounter: Encounter, patient: SourcePatient): EncounterFact {
  const start = encounter.period.start === null ? NaN : Date.parse(encounter.period.start);
  const primary = encounter.diagnoses
    .filter((d) => d.role === 'PRIMARY')
    .sort((a, b) => a.rank - b.rank)[0];
  return {
    date: Number.isNaN(start) ? null : toVietnamDate(new Date(start)),
    primary: primary ? { code: primary.code.code, display: primary.code.display } : null,
    encounter,
    patient,
  };
}

/** Index of the first item of a sorted list that satisfies a monotone predicate (binary search). */
function firstIndex<T>(sorted: readonly T[], predicate: (item: T) => boolean): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (predicate(sorted[mid] as T)) high = mid;
    else low = mid + 1;
  }
  return low;
}

function emptyStats(): SyntheticAdapterStats {
  const loadResources = Object.fromEntries(CLINICAL_RESOURCE_KINDS.map((kind) => [kind, 0])) as Record<ClinicalResourceKind, number>;
  return { findPatients: 0, loadResources, diagnosisCounts: 0, encounterCount: 0 };
}

function push(index: Map<string, string[]>, key: string, id: string): void {
  const ids = index.get(key);
  if (ids) ids.push(id);
  else index.set(key, [id]);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
