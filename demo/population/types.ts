import type { ClinicalResourceKind, ClinicalResources } from '../../contracts/model/clinical';
import type { AdministrativeGender, HumanName, IsoDate } from '../../contracts/model/patient';

/**
 * The synthetic population of the demo network (docs/style.md §9: one fixture set, built once and reused
 * by tests, benchmarks and `npm start`). Synthetic people only — never real data.
 */
export interface Population {
  readonly seed: number;
  readonly facilities: readonly DemoFacility[];
  readonly people: readonly SyntheticPerson[];
}

export interface DemoFacility {
  /** MA_CSKCB, 5 digits, first two the province. */
  readonly code: string;
  readonly name: string;
}

export interface SyntheticPerson {
  /** 12-digit personal identification number (valid format, see core/identifiers/nationalId). */
  readonly nationalId: string;
  readonly name: HumanName;
  readonly birthDate: IsoDate;
  readonly gender: AdministrativeGender;
  /** Current 15-character insurance card code; null for an uninsured person. */
  readonly insuranceNumber: string | null;
  /** Card facts the VSS simulator reports (null when uninsured). */
  readonly card: SyntheticCard | null;
  /** Records of this person at each facility that treated them. */
  readonly records: readonly FacilityRecord[];
  /** Address as printed on the card (diaChi); always set by generatePopulation. */
  readonly address?: string;
}

export interface SyntheticCard {
  readonly validFrom: IsoDate;
  readonly validTo: IsoDate;
  /** Registered primary-care facility (maDKBD). */
  readonly registeredFacilityCode: string;
  /** The maKetQua the VSS simulator answers for a correct look-up: '000', '010', '003', '110', … */
  readonly resultCode: string;
  readonly livingAreaCode: 'K1' | 'K2' | 'K3' | null;
  /** Date of 5 continuous years of insurance (ngayDu5Nam); always set (maybe null) by generatePopulation. */
  readonly fiveYearsContinuousFrom?: IsoDate | null;
  /** Replacement card VSS reports with result codes 003/004 (maTheMoi …); null otherwise. */
  readonly newCard?: SyntheticNewCard | null;
}

/** A new card issued to replace the current one (VSS maTheMoi, gtTheTuMoi, gtTheDenMoi, maDKBDMoi). */
export interface SyntheticNewCard {
  /** 15-character card code; same 10-digit BHXH code as the old card. */
  readonly number: string;
  readonly validFrom: IsoDate;
  readonly validTo: IsoDate;
  readonly registeredFacilityCode: string;
}

/** One person's chart at one facility. */
export interface FacilityRecord {
  readonly facilityCode: string;
  /** The facility's own patient id (MA_BN). */
  readonly localPatientId: string;
  /** False for records registered without the national ID: matched by insurance number instead. */
  readonly hasNationalId: boolean;
  /** False for records registered without an insurance number. */
  readonly hasInsuranceNumber: boolean;
  /** Resources with local ids (unique within the facility). */
  readonly resources: { readonly [K in ClinicalResourceKind]: readonly ClinicalResources[K][] };
}
