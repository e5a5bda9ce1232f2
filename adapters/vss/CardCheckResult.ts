import type * as InsuranceContract from '../../contracts/generated/insuranceContract';
import type { AdministrativeGender, IsoDate, IsoDateTime } from '../../contracts/model/patient';
import type { InsuranceCardStatus } from './cardStatus';

/**
 * What a VSS card check tells us, typed. Transport failures (VSS down, slow, garbled) are not
 * results: `VssClient.checkCard` throws a coded `PatientGraphError` for them.
 */
export type CardCheckResult = CardFound | CardCheckRejected;

/** VSS found the card and matched the person: card facts and visit history (any card status). */
export interface CardFound {
  readonly kind: 'card';
  /** maKetQua, e.g. '000', '010', '110'. */
  readonly resultCode: string;
  readonly status: InsuranceCardStatus;
  /** ghiChu. */
  readonly message: string | null;
  readonly card: VssCardFacts;
  /** dsLichSuKCB2018, newest first. */
  readonly visits: readonly InsuredVisitRecord[];
  /** dsLichSuKT2018, as VSS orders it. */
  readonly lookups: readonly CardLookupRecord[];
}

/**
 * VSS answered but did not match a card to the person (050–070), refused the look-up (054/055,
 * 205) or failed inside (100/101/500, unknown codes): a status and nothing else.
 */
export interface CardCheckRejected {
  readonly kind: 'rejected';
  readonly resultCode: string;
  readonly status: InsuranceCardStatus;
  readonly message: string | null;
}

export interface VssCardFacts {
  /** maThe: the card code VSS holds (may differ from the one asked about when maThe was a BHXH code or CCCD). */
  readonly number: string | null;
  readonly fullName: string | null;
  readonly birthDate: IsoDate | null;
  readonly gender: AdministrativeGender | null;
  readonly address: string | null;
  /** maDKBD. */
  readonly registeredFacilityCode: string | null;
  /** cqBHXH: the issuing social-insurance office. */
  readonly issuingOffice: string | null;
  readonly validFrom: IsoDate | null;
  readonly validTo: IsoDate | null;
  /** maKV: K1/K2/K3. */
  readonly livingAreaCode: string | null;
  /** ngayDu5Nam. */
  readonly fiveYearsContinuousFrom: IsoDate | null;
  /** maSoBHXH, 10 digits. */
  readonly socialInsuranceNumber: string | null;
  /** maTheCu. */
  readonly previousCardNumber: string | null;
  /** maTheMoi & co., when VSS reports a replacement card. */
  readonly newCard: VssNewCardFacts | null;
}

export interface VssNewCardFacts {
  readonly number: string;
  readonly validFrom: IsoDate | null;
  readonly validTo: IsoDate | null;
  readonly registeredFacilityCode: string | null;
  readonly registeredFacilityName: string | null;
}

/** Contract enum `DischargeStatus` (tinhTrang), generated from the insurance contract. */
export type DischargeStatus = InsuranceContract.DischargeStatus;
/** Contract enum `TreatmentResult` (kqDieuTri), generated from the insurance contract. */
export type TreatmentResult = InsuranceContract.TreatmentResult;

/** One `dsLichSuKCB2018` item with ISO times (+07:00). */
export interface InsuredVisitRecord {
  readonly recordId: string;
  readonly facilityCode: string;
  readonly facilityName: string | null;
  readonly admittedAt: IsoDateTime | null;
  readonly dischargedAt: IsoDateTime | null;
  readonly diagnosisText: string | null;
  readonly dischargeStatus: DischargeStatus;
  readonly treatmentResult: TreatmentResult;
  /** lyDoVV: 1 in-route, 2 emergency, 3 off-route, 4 cross-district. */
  readonly visitReasonCode: string | null;
}

/** One `dsLichSuKT2018` item. */
export interface CardLookupRecord {
  readonly user: string | null;
  readonly at: IsoDateTime | null;
  readonly message: string | null;
  readonly errorCode: string | null;
}
