import type { AdministrativeGender, HumanName, Identifier, IsoDate } from '../../contracts/model/patient';

/** A person as the patient index holds them: demographics, identifiers and facility links. */
export interface IndexedPatient {
  readonly nationalId: string;
  readonly name: HumanName;
  readonly birthDate: IsoDate | null;
  readonly gender: AdministrativeGender;
  readonly insuranceNumber: string | null;
  readonly identifiers: readonly Identifier[];
  /** Facilities where the index has linked one of the person's records (MA_CSKCB). */
  readonly linkedFacilityCodes: readonly string[];
}

export interface PatientPage {
  readonly patients: readonly IndexedPatient[];
  readonly hasNextPage: boolean;
}

/**
 * The patient index (master patient index) behind the identity subgraph. It holds identifiers and
 * links for routing, never clinical data (docs/architecture.md §1).
 */
export interface PatientIndex {
  get(nationalId: string): Promise<IndexedPatient | undefined>;
  /** Patients ordered by national ID, strictly after `afterNationalId` when given. */
  page(first: number, afterNationalId: string | null): Promise<PatientPage>;
  /**
   * How many people the index holds. Kept apart from `page()` because at 10 million people an
   * exact count reads every row: the subgraph calls it only when a client selects `totalCount`.
   */
  count(): Promise<number>;
}
