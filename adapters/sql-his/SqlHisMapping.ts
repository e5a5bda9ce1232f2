import type {
  AllergyCategory,
  AllergyCriticality,
  ConditionClinicalStatus,
  DiagnosisRole,
  EncounterClass,
  EncounterStatus,
  MedicationRequestStatus,
  ObservationStatus,
  ProcedureStatus,
} from '../../contracts/model/clinical';
import type { AdministrativeGender } from '../../contracts/model/patient';

/**
 * How one hospital's relational HIS database holds what the clinical contract exposes: which
 * tables and columns, how codes, dates and enumerations are written there. Produced only by
 * `parseSqlHisMapping`, which has checked every table and column name as a SQL identifier: the
 * query layer (`SqlHisQueries`) takes names from here and nowhere else, and quotes them.
 *
 * Column names are used exactly as written (quoted): `NgaySinh` and `ngaysinh` differ on PostgreSQL.
 */
export interface SqlHisMapping {
  readonly patients: PatientsMapping;
  /**
   * Each kind is read from a list of tables (merged; usually one). A kind the hospital does not
   * have is an empty list: the adapter answers `[]` without a query. Several kinds may read the
   * same table, each with its own `where` (a vendor's one service table holding examinations,
   * lab orders, procedures and drugs, told apart by a service-type column).
   */
  readonly encounters: readonly EncountersMapping[];
  readonly conditions: readonly ConditionsMapping[];
  readonly observations: readonly ObservationsMapping[];
  readonly medications: readonly MedicationsMapping[];
  readonly procedures: readonly ProceduresMapping[];
  readonly allergies: readonly AllergiesMapping[];
}

/**
 * A code table (or parent row) joined to a mapped table: `LEFT JOIN table AS alias ON
 * alias.<column> = <ref> AND …`. Columns of a join are written `alias.COLUMN` anywhere a column
 * is accepted; `on` refs may name the mapped table's columns or an earlier join's. A LEFT join:
 * a missing code-table row leaves its columns null, it never hides the mapped row.
 */
export interface TableJoin {
  readonly alias: string;
  readonly table: string;
  readonly on: readonly { readonly column: string; readonly equals: string }[];
}

/**
 * A row condition (soft deletes, discriminators), compiled with bound parameters only. `not` keeps
 * rows whose column is NULL (a NULL `IS_DELETE` is not a deleted row): `col IS NULL OR NOT (…)`.
 */
export type RowFilter =
  | { readonly kind: 'equals'; readonly column: string; readonly value: string; readonly key: string }
  | { readonly kind: 'in'; readonly column: string; readonly values: readonly string[]; readonly key: string }
  | { readonly kind: 'isNull'; readonly column: string; readonly key: string }
  | { readonly kind: 'not'; readonly condition: RowFilter; readonly key: string };

/** Joins and filters of one mapped table (every table of the mapping has them; both may be empty). */
export interface TableSource {
  readonly table: string;
  readonly joins: readonly TableJoin[];
  readonly where: readonly RowFilter[];
  /** Key path in the mapping (`mapping.medications[1]`), named by `--check` and value problems. */
  readonly key: string;
}

/**
 * How a date or timestamp column is written.
 * - `timestamp`: a native TIMESTAMP/DATETIME; an instant when the database says so (PostgreSQL
 *   `timestamptz`), otherwise Viet Nam wall-clock time.
 * - `date`: a native DATE.
 * - `yyyyMMddHHmm`: QĐ 130 timestamps (NGAY_VAO, NGAY_RA, NGAY_YL; docs/standards.md §2.3), Viet Nam time.
 * - `yyyyMMdd`: QĐ 130 dates (GT_THE_TU, and NGAY_SINH before QĐ 130), Viet Nam calendar date.
 * - `dd/MM/yyyy`: how many older HIS screens store dates as text.
 */
export type HisDateFormat = 'timestamp' | 'date' | 'yyyyMMddHHmmss' | 'yyyyMMddHHmm' | 'yyyyMMdd' | 'dd/MM/yyyy' | 'yyyy';

/**
 * - `yyyyMMddHHmmss`: vendor HIS timestamps kept as BIGINT or text (`IN_TIME 20240305073215`).
 * - `yyyy`: a year-only birth date (no calendar date; the year is kept for nothing but a valid read).
 * Numeric columns read as their digits, so every text format also fits a number column.
 */
export const HIS_DATE_FORMATS: readonly HisDateFormat[] = ['timestamp', 'date', 'yyyyMMddHHmmss', 'yyyyMMddHHmm', 'yyyyMMdd', 'dd/MM/yyyy', 'yyyy'];

export interface DateColumn {
  readonly column: string;
  readonly format: HisDateFormat;
  /** Key path in the mapping (`mapping.encounters.start`): named when a value does not fit the format. */
  readonly key: string;
}

/** An enumeration read from a column through a table of source codes. */
export interface ValueMapField<T extends string> {
  readonly kind: 'column';
  readonly column: string;
  /** Source code (as text: a TINYINT 1 reads as "1") → contract value. */
  readonly values: ReadonlyMap<string, T>;
  /** When the code is not in `values`, or the column is NULL. */
  readonly fallback: T | null;
  /** Checked before `values`, in order: another column's code decides (e.g. MA_DOITUONG_KCB "2" = emergency). */
  readonly overrides: readonly ValueOverride<T>[];
  /** Whether the mapping declares `default` (then every code is covered); `--check` reports codes that are not. */
  readonly hasDefault: boolean;
  /** The mapping key (`encounters.class`), for `--check`. */
  readonly key: string;
}

export interface ValueOverride<T extends string> {
  readonly column: string;
  readonly equals: string;
  readonly value: T;
}

/** An enumeration the source does not record, the same for every row (e.g. claims hold only finished encounters). */
export interface ConstantField<T extends string> {
  readonly kind: 'constant';
  readonly value: T;
}

export type EnumField<T extends string> = ValueMapField<T> | ConstantField<T>;

/** Code system of a coded column: one URI, or read from another column through a table. */
export type CodeSystemSource =
  | { readonly kind: 'constant'; readonly uri: string }
  | { readonly kind: 'column'; readonly column: string; readonly uris: ReadonlyMap<string, string>; readonly key: string };

export interface CodeColumn {
  readonly column: string;
  /** Column with the code's display text, when the HIS stores one. */
  readonly display: string | null;
  readonly system: CodeSystemSource;
}

/**
 * The column that says whose row this is. Most tables carry the patient key themselves; QĐ 130
 * detail tables (XML2–XML4) carry only the encounter key MA_LK, so the patient key is read
 * `via` the encounter table: `JOIN via.table ON via.table.key = this.foreignKey`.
 */
export interface PatientKeyColumn {
  readonly column: string;
  readonly via: { readonly table: string; readonly key: string; readonly foreignKey: string } | null;
}

export interface PatientsMapping extends TableSource {
  /** The HIS's own patient id (MA_BN, primary key). */
  readonly id: string;
  /** 12-digit national ID (SO_CCCD); null when the HIS has no such column. */
  readonly nationalId: string | null;
  readonly insuranceNumber: InsuranceNumberColumn | null;
  readonly name: PatientNameColumns | null;
  readonly birthDate: DateColumn | null;
  readonly gender: EnumField<AdministrativeGender> | null;
  /**
   * When the row's demographics last changed (a trigger- or application-maintained column): the
   * registration feed (`patientChanges`, docs/identity.md §2) reads it. Null: no feed.
   */
  readonly updatedAt: DateColumn | null;
  /**
   * Identifier columns with their systems (old 9-digit CMND, passport, vendor patient code, …).
   * `matchAs: nationalId` columns are also compared with the lookup's national IDs (a HIS that
   * keeps the 12-digit CCCD in its old CMND column), as `nationalId` is; `matchAs:
   * insuranceNumber` columns with the BHXH codes (their last 10 characters), as `insuranceNumber` is.
   */
  readonly identifiers: readonly IdentifierColumn[];
}

export interface IdentifierColumn {
  readonly column: string;
  /** URI of the identifier system (see README: `urn:vn:cccd`, `urn:vn:cmnd`, …). */
  readonly system: string;
  readonly matchAs: 'nationalId' | 'insuranceNumber' | null;
}

/**
 * The card column (MA_THE_BHYT) holds 15-character card codes, bare 10-digit BHXH codes or a mix.
 * Lookups compare the last 10 characters (`RIGHT(column, 10)`), which is the BHXH code in both
 * forms; a database that indexes that (a generated column, docs/standards.md §5.1) names it as
 * `bhxhColumn`, and the lookup compares it directly so the index is used.
 */
export interface InsuranceNumberColumn {
  readonly column: string;
  readonly bhxhColumn: string | null;
}

/** One full-name column (HO_TEN), or family and given names (joined family first, the Vietnamese order). */
export type PatientNameColumns =
  | { readonly kind: 'full'; readonly column: string }
  | { readonly kind: 'parts'; readonly family: string; readonly given: string };

/** What every resource table has: where it is, its row id, and whose row it is. */
export interface ResourceTableMapping extends TableSource {
  /** Local id of the row, unique within the facility (the SDK prefixes the facility code). */
  readonly id: string;
  /** Put before the id when a kind merges several tables whose ids could collide (`ext-`). */
  readonly idPrefix: string;
  readonly patientKey: PatientKeyColumn;
}

export interface EncountersMapping extends ResourceTableMapping {
  readonly status: EnumField<EncounterStatus>;
  /** E.g. from MA_LOAI_KCB (QĐ 824 App. 1, docs/standards.md §4.1). */
  readonly class: EnumField<EncounterClass>;
  /** Also the column the analytics window applies to. */
  readonly start: DateColumn;
  readonly end: DateColumn | null;
  readonly reason: string | null;
  /** Department codes (MA_KHOA), several in one column joined by `separator` (QĐ 130 uses `;`). */
  readonly departments: { readonly column: string; readonly separator: string } | null;
  readonly cost: EncounterCostColumns | null;
  readonly diagnoses: EncounterDiagnosesMapping | RowDiagnosesMapping | null;
  /** Vendor encounter codes (TREATMENT_CODE, MA_LK) exposed as identifiers of the encounter. */
  readonly identifiers: readonly IdentifierColumn[];
}

/**
 * Diagnoses kept on the encounter row itself (vendor HIS: ICD_CODE + ICD_NAME, and the
 * secondary codes as one `;`-separated list ICD_SUB_CODE with their names in ICD_TEXT).
 */
export interface RowDiagnosesMapping {
  readonly kind: 'row';
  readonly main: { readonly code: string; readonly display: string | null } | null;
  readonly secondary: { readonly codes: string; readonly displays: string | null; readonly separator: string } | null;
  readonly system: CodeSystemSource;
}

export interface EncounterCostColumns {
  readonly total: string | null;
  readonly insurancePaid: string | null;
  readonly patientCoPay: string | null;
  readonly patientSelfPay: string | null;
  readonly insuranceCard: string | null;
}

/** A child table of diagnoses per encounter, e.g. `chan_doan(ma_lk, ma_benh, loai)`. */
export interface EncounterDiagnosesMapping extends TableSource {
  readonly kind: 'table';
  /** Column of this table that holds the encounter's id. */
  readonly encounterKey: string;
  readonly code: CodeColumn;
  /** Main diagnosis (MA_BENH_CHINH) vs comorbidity (MA_BENH_KT); counted by `diagnosisCounts` when PRIMARY. */
  readonly role: EnumField<DiagnosisRole>;
  /** Order within the encounter; without it, primary first, then by code. */
  readonly rank: string | null;
}

export interface ConditionsMapping extends ResourceTableMapping {
  readonly code: CodeColumn;
  readonly clinicalStatus: EnumField<ConditionClinicalStatus>;
  readonly recorded: DateColumn | null;
  readonly encounter: string | null;
}

export interface ObservationsMapping extends ResourceTableMapping {
  readonly code: CodeColumn;
  readonly status: EnumField<ObservationStatus>;
  /** A number (or numeric text, as QĐ 130 GIA_TRI) becomes a quantity; other text a string value. */
  readonly value: string | null;
  readonly unit: string | null;
  /** UCUM code of the unit, when the HIS keeps one (may be the unit column itself). */
  readonly unitCode: string | null;
  readonly interpretation: string | null;
  readonly referenceRange: ReferenceRangeColumns | null;
  readonly effective: DateColumn | null;
  readonly encounter: string | null;
}

/**
 * Reference range of a lab result: one low/high/text, or per sex (vendor code tables keep
 * NORMAL_MIN/NORMAL_MAX for men and women apart); which sex applies is the patient's, so each
 * range is exposed with the sex it applies to and the reader picks.
 */
export interface ReferenceRangeColumns {
  readonly ranges: readonly ReferenceRangeColumnSet[];
}

export interface ReferenceRangeColumnSet {
  readonly low: string | null;
  readonly high: string | null;
  readonly text: string | null;
  readonly appliesTo: AdministrativeGender | null;
}

export interface MedicationsMapping extends ResourceTableMapping {
  readonly medication: CodeColumn;
  readonly status: EnumField<MedicationRequestStatus>;
  readonly dosage: string | null;
  readonly quantity: string | null;
  readonly quantityUnit: string | null;
  readonly route: string | null;
  readonly authored: DateColumn | null;
  readonly encounter: string | null;
}

export interface ProceduresMapping extends ResourceTableMapping {
  readonly code: CodeColumn;
  readonly status: EnumField<ProcedureStatus>;
  readonly performed: DateColumn | null;
  readonly encounter: string | null;
}

export interface AllergiesMapping extends ResourceTableMapping {
  readonly code: CodeColumn;
  readonly category: EnumField<AllergyCategory> | null;
  readonly criticality: EnumField<AllergyCriticality> | null;
  readonly reaction: string | null;
  readonly recorded: DateColumn | null;
}
