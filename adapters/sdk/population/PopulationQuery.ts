import type { AdministrativeGender, IsoDate } from '../../../contracts/model/patient';

/**
 * What a population question counts (the contract's `PopulationMeasure`). `COST` counts the
 * encounters whose total cost is recorded and sums their costs (QĐ 130 XML1 T_TONGCHI_BV, T_BHTT,
 * T_BNCCT) in VND. `READMISSIONS` counts inpatient stays discharged in the window that are
 * followed by another inpatient admission of the same patient at the same source within
 * `readmissionDays` days (`readmittedStays.ts`).
 */
export type PopulationMeasure = 'PATIENTS' | 'ENCOUNTERS' | 'CONDITIONS' | 'COST' | 'READMISSIONS';

/** `readmissionDays` when the question does not say (the usual 30-day readmission). */
export const DEFAULT_READMISSION_DAYS = 30;
/** The longest readmission window a question may ask for. */
export const MAX_READMISSION_DAYS = 365;

/** What it is grouped by (the contract's `PopulationDimension`). */
export const POPULATION_DIMENSIONS = [
  'ICD10_CODE',
  'ICD10_CATEGORY',
  'ICD10_CHAPTER',
  'FACILITY',
  'PROVINCE',
  'AGE_BAND',
  'SEX',
  'ENCOUNTER_CLASS',
  'MONTH',
  'QUARTER',
  'YEAR',
] as const;
export type PopulationDimension = (typeof POPULATION_DIMENSIONS)[number];

/** A population question as one source answers it (arguments validated). */
export interface PopulationQuery {
  readonly measure: PopulationMeasure;
  readonly groupBy: readonly PopulationDimension[];
  /** Encounters starting in this window (Viet Nam dates, inclusive); null: open. */
  readonly from: IsoDate | null;
  readonly to: IsoDate | null;
  /** Only diagnoses whose ICD-10 code starts with one of these (e.g. `E11`, `J`); null: all. */
  readonly icd10Prefixes: readonly string[] | null;
  /** Only encounters of these classes; null: all. */
  readonly encounterClasses: readonly string[] | null;
  /** READMISSIONS: days after the index stay's discharge day an admission counts as a readmission (1 to 365); {@link DEFAULT_READMISSION_DAYS} when absent. */
  readonly readmissionDays?: number;
}

/** One cell of a source's answer: its value on each `groupBy` dimension, in order, and its count. */
export interface PopulationRow {
  readonly values: readonly (string | null)[];
  readonly count: number;
  /**
   * PATIENTS only: the keyed pseudonyms of the people counted, so that the gateway counts a person
   * treated at several hospitals once without being able to tell who they are.
   */
  readonly pseudonyms: readonly string[] | null;
  /** COST only: the sums of the counted encounters' costs; absent or null for other measures. */
  readonly amounts?: PopulationAmounts | null;
}

/** Sums of encounter costs in VND (QĐ 130 XML1). */
export interface PopulationAmounts {
  /** T_TONGCHI_BV (QĐ 4210 T_TONGCHI): the total at hospital prices. */
  readonly totalCost: number;
  /** T_BHTT: paid by the insurance fund. */
  readonly insurancePaid: number;
  /** T_BNCCT: the patient's co-payment within the insurance scope. */
  readonly patientCoPay: number;
}

/** One encounter with what population questions need of it and of its patient. */
export interface EncounterFact {
  /** Viet Nam calendar date the encounter started; null when unknown (never counted in a window). */
  readonly date: IsoDate | null;
  readonly encounterClass: string;
  /** ICD-10 codes of the encounter, main diagnosis first (`primary`). */
  readonly diagnoses: readonly { readonly code: string; readonly primary: boolean }[];
  /** Its costs in VND when the source records them (`total` null: no cost recorded). */
  readonly cost?: { readonly total: number | null; readonly insurancePaid: number | null; readonly patientCoPay: number | null } | null;
  /** How many encounters this fact stands for (a source that groups in SQL: one fact per group); 1 when absent. */
  readonly weight?: number;
  /** Viet Nam calendar date the encounter ended (an inpatient stay's discharge, QĐ 130 NGAY_RA); null or absent when unknown or still open. */
  readonly endDate?: IsoDate | null;
  /** The start as an instant (ms since the epoch) and the encounter's id: the order of a patient's admissions (READMISSIONS). */
  readonly startMs?: number | null;
  readonly encounterId?: string;
  /** The age band at the encounter when the source computed it (a group counted in SQL); from `patient.birthDate` when absent. */
  readonly ageBand?: string | null;
  readonly patient: {
    readonly sex: AdministrativeGender | null;
    /** `YYYY-MM-DD`, or `YYYY` when only the year is known. */
    readonly birthDate: string | null;
    /** The patient's keyed pseudonym (see `patientPseudonym`). */
    readonly pseudonym: string;
    /** The patient's id at this source: links the stays of one person (READMISSIONS); never leaves the source. */
    readonly localId?: string;
  };
}
