import type { AnalyticsFilter, PatientLookup, PatientResource, SourcePatient } from '../sdk/ClinicalAdapter';
import { pageOfChanges, type PatientChangeCursor, type PatientChangePage } from '../sdk/PatientChanges';
import { socialInsuranceNumberOf } from '../../core/identifiers/insuranceNumber';
import type { ClinicalResourceKind, ClinicalResources, DiagnosisCount, RecordIdentifier } from '../../contracts/model/clinical';
import { compareFilesForReplacement } from './findDuplicateMaLk';
import type { Xml130Hoso } from './Xml130Hoso';
import { countPopulation } from '../sdk/population/countPopulation';
import { populationReadWindow } from '../sdk/population/populationReadWindow';
import { encounterFactOf, pseudonymBasisOf } from '../sdk/population/encounterFactOf';
import type { PseudonymBasis } from '../sdk/population/patientPseudonym';
import type { PopulationQuery, PopulationRow } from '../sdk/population/PopulationQuery';

/** The HOSO one file contributed, and when the file was last changed. */
export interface IndexedFile {
  readonly path: string;
  readonly mtimeMs: number;
  readonly hoso: readonly Xml130Hoso[];
}

/** One encounter reduced to what the analytics need. */
interface EncounterFact {
  /** Viet Nam calendar date of NGAY_VAO (the ISO start carries +07:00, so its date part is it). */
  readonly date: string;
  readonly primary: { readonly code: string; readonly display: string | null } | null;
  readonly hoso: Xml130Hoso;
}

const LISTS: { readonly [K in ClinicalResourceKind]: (hoso: Xml130Hoso) => readonly ClinicalResources[K][] } = {
  encounters: (hoso) => [hoso.encounter],
  conditions: (hoso) => hoso.conditions,
  observations: (hoso) => hoso.observations,
  medications: (hoso) => hoso.medications,
  procedures: (hoso) => hoso.procedures,
  allergies: () => [], // QĐ 130 has no allergy table
};

/**
 * The in-memory index of a folder of claim files, immutable once built: patients by CCCD,
 * 10-digit BHXH code, MA_BN and birth date, the episodes of each MA_BN, and encounter facts
 * sorted by date for the analytics. The adapter served from it before its index moved to disk
 * (`index/Xml130SqlIndex.ts`); it keeps ~4.7 KB per HOSO, so it stays only as the reference the
 * on-disk index is tested against (test/integration/xml130/xml130DiskIndex.test.ts) and as the
 * baseline of `npm run bench:xml130`.
 */
export class Xml130Index {
  static readonly EMPTY = Xml130Index.build([]);

  /** HOSO whose MA_LK a newer file (or a later HOSO of the same file) replaced. */
  readonly replacedHoso: number;

  private constructor(
    private readonly byMaBn: ReadonlyMap<string, readonly Xml130Hoso[]>,
    private readonly patients: ReadonlyMap<string, SourcePatient>,
    private readonly byNationalId: ReadonlyMap<string, readonly string[]>,
    private readonly byBhxh: ReadonlyMap<string, readonly string[]>,
    private readonly byBirthDate: ReadonlyMap<string, readonly string[]>,
    /** MA_BN → when the newest claim file holding one of the patient's episodes was modified (ISO instant). */
    private readonly updatedAt: ReadonlyMap<string, string>,
    /** Sorted by date. */
    private readonly facts: readonly EncounterFact[],
    replacedHoso: number,
  ) {
    this.replacedHoso = replacedHoso;
  }

  /**
   * A claim resubmitted with the same MA_LK replaces the earlier one: files are applied oldest
   * first (modification time, then path), so the newest file's version of an episode wins
   * (`compareFilesForReplacement`; `findDuplicateMaLk` reports every copy replaced).
   */
  static build(files: readonly IndexedFile[]): Xml130Index {
    const byMaLk = new Map<string, Xml130Hoso>();
    const fileTimeOf = new Map<string, number>();
    let replaced = 0;
    const ordered = [...files].sort(compareFilesForReplacement);
    for (const file of ordered) {
      for (const hoso of file.hoso) {
        if (byMaLk.has(hoso.maLk)) replaced += 1;
        byMaLk.set(hoso.maLk, hoso);
        fileTimeOf.set(hoso.maLk, file.mtimeMs);
      }
    }
    const byMaBn = new Map<string, Xml130Hoso[]>();
    const facts: EncounterFact[] = [];
    for (const hoso of byMaLk.values()) {
      push(byMaBn, hoso.patient.localId, hoso);
      facts.push(factOf(hoso));
    }
    facts.sort((a, b) => compare(a.date, b.date));
    const patients = new Map<string, SourcePatient>();
    const byNationalId = new Map<string, string[]>();
    const byBhxh = new Map<string, string[]>();
    const byBirthDate = new Map<string, string[]>();
    const updatedAt = new Map<string, string>();
    for (const [maBn, episodes] of byMaBn) {
      updatedAt.set(maBn, new Date(Math.max(...episodes.map((h) => fileTimeOf.get(h.maLk) ?? 0))).toISOString());
      episodes.sort((a, b) => compare(a.encounter.period.start ?? '', b.encounter.period.start ?? ''));
      const patient = mergePatient(episodes);
      patients.set(maBn, patient);
      if (patient.nationalId) push(byNationalId, patient.nationalId, maBn);
      const bhxh = patient.insuranceNumber ? socialInsuranceNumberOf(patient.insuranceNumber) : undefined;
      if (bhxh) push(byBhxh, bhxh, maBn);
      if (patient.birthDate) push(byBirthDate, patient.birthDate, maBn);
    }
    return new Xml130Index(byMaBn, patients, byNationalId, byBhxh, byBirthDate, updatedAt, facts, replaced);
  }

  get hosoCount(): number {
    return this.facts.length;
  }

  get patientCount(): number {
    return this.patients.size;
  }

  /**
   * The registration feed: patients whose demographics may have changed since `since` — those in
   * a claim file modified since (a new or resubmitted XML1 repeats the demographics, and the
   * newest episode's win, see mergePatient). A file with no change to them re-lists them
   * harmlessly: the index matches them again and decides the same.
   */
  patientsChangedSince(since: string, first: number, after: PatientChangeCursor | null): PatientChangePage {
    const all = [...this.patients.values()].map((p) => ({ ...p, updatedAt: this.updatedAt.get(p.localId) ?? new Date(0).toISOString() }));
    return pageOfChanges(all, since, first, after);
  }

  /** Every patient whose CCCD, BHXH code or birth date is in the lookup, each once, by MA_BN. */
  findPatients(lookup: PatientLookup): SourcePatient[] {
    const ids = new Set<string>();
    const collect = (index: ReadonlyMap<string, readonly string[]>, keys: readonly string[]): void => {
      for (const key of keys) for (const id of index.get(key) ?? []) ids.add(id);
    };
    collect(this.byNationalId, lookup.nationalIds);
    collect(this.byBhxh, lookup.socialInsuranceNumbers);
    collect(this.byBirthDate, lookup.birthDates);
    return [...ids].sort(compare).flatMap((id) => this.patients.get(id) ?? []);
  }

  /** The resources of one kind of every episode of the given MA_BN. */
  resources<K extends ClinicalResourceKind>(kind: K, patientLocalIds: readonly string[]): PatientResource<K>[] {
    const list = LISTS[kind];
    return [...new Set(patientLocalIds)].flatMap((patientLocalId) =>
      (this.byMaBn.get(patientLocalId) ?? []).flatMap((hoso) => list(hoso).map((resource) => ({ patientLocalId, resource }))),
    );
  }

  /** Episodes per main diagnosis (XML1 MA_BENH_CHINH), admitted in the window. */
  diagnosisCounts(filter: AnalyticsFilter): DiagnosisCount[] {
    const byCode = new Map<string, { display: string | null; encounters: number }>();
    for (const fact of this.window(filter)) {
      if (!fact.primary) continue;
      const row = byCode.get(fact.primary.code) ?? { display: fact.primary.display, encounters: 0 };
      byCode.set(fact.primary.code, { display: row.display ?? fact.primary.display, encounters: row.encounters + 1 });
    }
    return [...byCode].map(([code, row]) => ({ code, ...row }));
  }

  /** Episodes admitted (XML1 NGAY_VAO, Viet Nam date) in the window, inclusive. */
  encounterCount(filter: AnalyticsFilter): number {
    return this.window(filter).length;
  }

  /**
   * A population question over the episodes admitted in the window (docs/analytics.md), each with
   * its patient's merged demographics (one patient per MA_BN); READMISSIONS reads the episodes
   * of `populationReadWindow` (before and after the window).
   */
  population(query: PopulationQuery, pseudonymOf: (basis: PseudonymBasis) => string, facilityCode: string): PopulationRow[] {
    const pseudonyms = new Map<string, string>();
    const facts = this.window(populationReadWindow(query)).flatMap((fact) => {
      const patient = this.patients.get(fact.hoso.patient.localId);
      if (!patient) return [];
      let pseudonym = '';
      if (query.measure === 'PATIENTS') {
        pseudonym = pseudonyms.get(patient.localId) ?? pseudonymOf(pseudonymBasisOf(patient, facilityCode));
        pseudonyms.set(patient.localId, pseudonym);
      }
      return [encounterFactOf(fact.hoso.encounter, patient, pseudonym)];
    });
    return countPopulation(facts, query, facilityCode);
  }

  private window(filter: AnalyticsFilter): readonly EncounterFact[] {
    const start = filter.from === null ? 0 : firstIndex(this.facts, (f) => f.date >= (filter.from ?? ''));
    const end = filter.to === null ? this.facts.length : firstIndex(this.facts, (f) => f.date > (filter.to ?? ''));
    return this.facts.slice(start, Math.max(start, end));
  }
}

/**
 * One patient per MA_BN: each HOSO repeats the demographics, and later ones may add what earlier
 * ones lacked (a CCCD, a new card). The newest episode's value of each field wins; a field it
 * leaves empty keeps the latest earlier value.
 */
function mergePatient(episodesOldestFirst: readonly Xml130Hoso[]): SourcePatient {
  return episodesOldestFirst.reduce<SourcePatient>((merged, { patient }) => ({
    localId: patient.localId,
    nationalId: patient.nationalId ?? merged.nationalId,
    insuranceNumber: patient.insuranceNumber ?? merged.insuranceNumber,
    fullName: patient.fullName ?? merged.fullName,
    birthDate: patient.birthDate ?? merged.birthDate,
    gender: patient.gender ?? merged.gender,
    // Every identifier any episode carried (a new card, a CCCD replacing a CMND), newest first, once.
    identifiers: uniqueIdentifiers([...(patient.identifiers ?? []), ...(merged.identifiers ?? [])]),
  }), { localId: '', nationalId: null, insuranceNumber: null, fullName: null, birthDate: null, gender: null, identifiers: [] });
}

function uniqueIdentifiers(identifiers: readonly RecordIdentifier[]): RecordIdentifier[] {
  const seen = new Set<string>();
  return identifiers.filter((i) => {
    const key = `${i.system}|${i.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function factOf(hoso: Xml130Hoso): EncounterFact {
  const primary = hoso.encounter.diagnoses.find((d) => d.role === 'PRIMARY');
  return {
    date: (hoso.encounter.period.start ?? '').slice(0, 10),
    primary: primary ? { code: primary.code.code, display: primary.code.display } : null,
    hoso,
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

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
