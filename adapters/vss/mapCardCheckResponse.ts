import type { AdministrativeGender } from '../../contracts/model/patient';
import { parseQd130DateTime } from '../../core/time/vietnamTime';
import { cardStatusOf, isCardFound } from './cardStatus';
import type {
  CardCheckResult,
  CardLookupRecord,
  DischargeStatus,
  InsuredVisitRecord,
  TreatmentResult,
  VssCardFacts,
} from './CardCheckResult';
import { parseVssDate, type CardCheckResponse, type VssLookupHistoryItem, type VssVisitHistoryItem } from './vssProtocol';

/**
 * A `KQNhanLichSuKCB2024` answer (docs/standards.md §6.2) as a typed result. Pure: the same
 * response always maps to the same result. Dates dd/mm/yyyy → ISO dates; visit times
 * yyyyMMddHHmm (Viet Nam wall clock) → ISO with +07:00; visits newest first.
 */
export function mapCardCheckResponse(response: CardCheckResponse): CardCheckResult {
  const resultCode = response.maKetQua;
  const status = cardStatusOf(resultCode);
  const message = text(response.ghiChu);
  if (!isCardFound(status)) return { kind: 'rejected', resultCode, status, message };
  return {
    kind: 'card',
    resultCode,
    status,
    message,
    card: cardFacts(response),
    visits: (response.dsLichSuKCB2018 ?? []).map(visitRecord).sort(newestFirst),
    lookups: (response.dsLichSuKT2018 ?? []).map(lookupRecord),
  };
}

function cardFacts(r: CardCheckResponse): VssCardFacts {
  const newCardNumber = text(r.maTheMoi);
  return {
    number: text(r.maThe),
    fullName: text(r.hoTen),
    birthDate: parseVssDate(r.ngaySinh) ?? null,
    gender: genderOf(r.gioiTinh),
    address: text(r.diaChi),
    registeredFacilityCode: text(r.maDKBD),
    issuingOffice: text(r.cqBHXH),
    validFrom: parseVssDate(r.gtTheTu) ?? null,
    validTo: parseVssDate(r.gtTheDen) ?? null,
    livingAreaCode: text(r.maKV),
    fiveYearsContinuousFrom: parseVssDate(r.ngayDu5Nam) ?? null,
    socialInsuranceNumber: text(r.maSoBHXH),
    previousCardNumber: text(r.maTheCu),
    newCard: newCardNumber === null ? null : {
      number: newCardNumber,
      validFrom: parseVssDate(r.gtTheTuMoi) ?? null,
      validTo: parseVssDate(r.gtTheDenMoi) ?? null,
      registeredFacilityCode: text(r.maDKBDMoi),
      registeredFacilityName: text(r.tenDKBDMoi),
    },
  };
}

function visitRecord(item: VssVisitHistoryItem): InsuredVisitRecord {
  return {
    recordId: item.maHoSo ?? '',
    facilityCode: item.maCSKCB ?? '',
    facilityName: text(item.tenCSKCB),
    admittedAt: parseQd130DateTime(item.ngayVao ?? '') ?? null,
    dischargedAt: parseQd130DateTime(item.ngayRa ?? '') ?? null,
    diagnosisText: text(item.tenBenh),
    dischargeStatus: dischargeStatusOf(item.tinhTrang),
    treatmentResult: treatmentResultOf(item.kqDieuTri),
    visitReasonCode: text(item.lyDoVV),
  };
}

function lookupRecord(item: VssLookupHistoryItem): CardLookupRecord {
  return {
    user: text(item.userKT),
    at: parseQd130DateTime(item.thoiGianKT ?? '') ?? null,
    message: text(item.thongBao),
    errorCode: text(item.maLoi),
  };
}

/** §6.2 tinhTrang: 1 Ra viện, 2 Chuyển viện, 3 Trốn viện, 4 Xin ra viện. */
export function dischargeStatusOf(code: string | null | undefined): DischargeStatus {
  switch (code?.trim()) {
    case '1': return 'DISCHARGED';
    case '2': return 'TRANSFERRED';
    case '3': return 'ABSCONDED';
    case '4': return 'LEFT_ON_REQUEST';
    default: return 'UNKNOWN';
  }
}

/** §6.2 kqDieuTri: 1 Khỏi, 2 Đỡ, 3 Không thay đổi, 4 Nặng hơn, 5 Tử vong. */
export function treatmentResultOf(code: string | null | undefined): TreatmentResult {
  switch (code?.trim()) {
    case '1': return 'CURED';
    case '2': return 'IMPROVED';
    case '3': return 'UNCHANGED';
    case '4': return 'WORSE';
    case '5': return 'DIED';
    default: return 'UNKNOWN';
  }
}

/**
 * gioiTinh's format in the 2024 response is not confirmed (§9 item 4): accept the words (Nam/Nữ)
 * and the QĐ 130 GIOI_TINH digits (1 male, 2 female).
 */
function genderOf(value: string | null | undefined): AdministrativeGender | null {
  const v = value?.normalize('NFC').trim().toLowerCase();
  if (v === undefined || v === '') return null;
  if (v === 'nam' || v === '1') return 'MALE';
  if (v === 'nữ' || v === 'nu' || v === '2') return 'FEMALE';
  return 'UNKNOWN';
}

function newestFirst(a: InsuredVisitRecord, b: InsuredVisitRecord): number {
  const at = a.admittedAt ? Date.parse(a.admittedAt) : -Infinity;
  const bt = b.admittedAt ? Date.parse(b.admittedAt) : -Infinity;
  return bt - at || a.recordId.localeCompare(b.recordId);
}

function text(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}
