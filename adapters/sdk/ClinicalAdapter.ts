import type { ClinicalResourceKind, ClinicalResources, DiagnosisCount, RecordIdentifier } from '../../contracts/model/clinical';
import type { AdministrativeGender, DeceasedRecord, IsoDate } from '../../contracts/model/patient';
import type { PatientChangeCursor, PatientChangePage } from './PatientChanges';
import type { PseudonymBasis } from './population/patientPseudonym';
import type { PopulationQuery, PopulationRow } from './population/PopulationQuery';
import type { CohortQuery, CohortSourcePage } from './population/CohortQuery';

/**
 * The port every clinical source implements (docs/architecture.md §4): a hospital's FHIR server, HIS
 * database or QĐ 130 export folder, seen through batch calls keyed by patient identity.
 * `createClinicalSubgraph` binds an adapter to the clinical contract; adapters never deal with
 * GraphQL, provenance, id prefixes or matching rules.
 */
export interface ClinicalAdapter {
  /** Kind of source system, shown in provenance: `fhir-r4`, `sql-his`, `xml130`, `synthetic`. */
  readonly system: string;

  /**
   * Candidate patient records for a batch of people, in one call to the source: every record
   * whose national ID, 10-digit BHXH code or birth date is in the lookup. The SDK's matcher
   * decides which candidates are the same person.
   */
  findPatients(lookup: PatientLookup): Promise<readonly SourcePatient[]>;

  /** All records of one kind for a batch of local patient ids, in one call to the source. */
  loadResources<K extends ClinicalResourceKind>(
    kind: K,
    patientLocalIds: readonly string[],
  ): Promise<readonly PatientResource<K>[]>;

  /** Encounters per main diagnosis in the window (an aggregate; no patient identified). */
  diagnosisCounts(filter: AnalyticsFilter): Promise<readonly DiagnosisCount[]>;

  /** Number of encounters in the window. */
  encounterCount(filter: AnalyticsFilter): Promise<number>;

  /**
   * Cells of a population question, computed where the data is (docs/analytics.md); only the cells
   * leave the source. `pseudonymOf` turns a person's strongest identifier into the network's keyed
   * pseudonym (PATIENTS). Optional while adapters gain it: a source without it answers an error.
   */
  population?(query: PopulationQuery, pseudonymOf: (basis: PseudonymBasis) => string): Promise<readonly PopulationRow[]>;

  /**
   * One page of de-identified cohort rows (docs/analytics.md, "De-identified cohort rows"): the
   * encounters of the question in a stable keyset order, strictly after the source's own place
   * `after` (null: from the start), at most `first`, each with its place. Rows carry the network's
   * keyed pseudonym, never an identifier (`CohortSourceRow`). Optional while adapters gain it.
   */
  cohort?(query: CohortQuery, pseudonymOf: (basis: PseudonymBasis) => string, after: string | null, first: number): Promise<CohortSourcePage>;

  /**
   * The registration feed (docs/identity.md §2): records whose demographics changed at or after
   * `since` (ISO 8601 instant), ordered by (updatedAt, localId), strictly after `after`, at most
   * `first`. The patient index matches and links them (`patient-graph identity sync`). Optional
   * while adapters gain it: a source without it answers an error.
   */
  patientsChangedSince?(since: string, first: number, after: PatientChangeCursor | null): Promise<PatientChangePage>;

  /** Releases connections, watchers and timers. */
  close?(): Promise<void>;
}

/** One batch of people to look up at a source. */
export interface PatientLookup {
  readonly nationalIds: readonly string[];
  /** 10-digit BHXH codes (the stable part of the insurance card code). */
  readonly socialInsuranceNumbers: readonly string[];
  /** Birth dates of the people, for demographic matching of records that carry neither number. */
  readonly birthDates: readonly IsoDate[];
}

/** A patient record as the source holds it; any of the identifying fields may be missing. */
export interface SourcePatient {
  /** The source's own patient id (MA_BN, FHIR Patient.id, HIS primary key). */
  readonly localId: string;
  readonly nationalId: string | null;
  /** Insurance card code (15 characters) or bare 10-digit BHXH code, as the source holds it. */
  readonly insuranceNumber: string | null;
  readonly fullName: string | null;
  /** `YYYY-MM-DD`, or `YYYY` when the source knows only the year (core/matching/parseBirthDate.ts reads both). */
  readonly birthDate: IsoDate | null;
  readonly gender: AdministrativeGender | null;
  /**
   * Every identifier the record holds, each with its system (contract `Patient.sourceIdentifiers`,
   * FHIR Patient.identifier): national ID, old CMND, passport, insurance card, the source's own
   * patient code. Absent: the source exposes none (served as an empty list).
   */
  readonly identifiers?: readonly RecordIdentifier[];
  /** FHIR Patient.deceased[x]; absent or null when the source says nothing (it is never matched on). */
  readonly deceased?: DeceasedRecord | null;
}

/** A clinical resource with the local patient it belongs to; `resource.id` is the local id. */
export interface PatientResource<K extends ClinicalResourceKind> {
  readonly patientLocalId: string;
  readonly resource: ClinicalResources[K];
}

/** Window of an analytics query; dates inclusive, Viet Nam time. */
export interface AnalyticsFilter {
  readonly from: IsoDate | null;
  readonly to: IsoDate | null;
}

/** The facility a clinical subgraph serves. */
export interface Facility {
  /** MA_CSKCB, 5 digits. */
  readonly code: string;
  readonly name: string;
}
