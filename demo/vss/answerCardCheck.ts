import type { VssOfficer } from '../../adapters/vss/VssClient';
import {
  formatVssDate,
  normalizeVssName,
  parseVssDate,
  type CardCheckRequest,
  type CardCheckResponse,
  type VssLookupHistoryItem,
  type VssVisitHistoryItem,
} from '../../adapters/vss/vssProtocol';
import { isProvinceCode, PROVINCES } from '../../core/identifiers/provinces';
import { formatQd130DateTime } from '../../core/time/vietnamTime';
import { diagnosisByCode } from '../population/icd10';
import type { SyntheticPerson } from '../population/types';
import type { VssCardRegistry } from './VssCardRegistry';

export interface CardCheckContext {
  readonly registry: VssCardRegistry;
  /** Staff registered for the facility account (hoTenCb/cccdCb), §6.3 054/055. */
  readonly officers: readonly VssOfficer[];
  /** Earlier look-ups of a BHXH code (dsLichSuKT2018). */
  readonly lookupHistory: (socialInsuranceNumber: string) => readonly VssLookupHistoryItem[];
}

export interface CardCheckAnswer {
  readonly response: CardCheckResponse;
  /** The BHXH code the look-up resolved to, so the simulator can record it; null when none. */
  readonly socialInsuranceNumber: string | null;
}

/** ghiChu texts (no personal data). */
const MESSAGES: Readonly<Record<string, string>> = {
  '000': 'Thông tin thẻ chính xác.',
  '003': 'Thẻ cũ hết giá trị sử dụng, đã được cấp thẻ mới.',
  '004': 'Thẻ cũ còn giá trị sử dụng, đã được cấp thẻ mới.',
  '010': 'Thẻ hết giá trị sử dụng.',
  '050': 'Không có thông tin thẻ.',
  '051': 'Mã thẻ không đúng.',
  '052': 'Mã tỉnh cấp thẻ BHYT (ký tự thứ 4,5) không đúng.',
  '053': 'Mã quyền lợi BHYT (ký tự thứ 3) không đúng.',
  '054': 'CCCD cán bộ tra cứu không có trong danh sách người dùng của cơ sở.',
  '055': 'Họ tên cán bộ tra cứu không khớp với CCCD.',
  '060': 'Họ tên không đúng.',
  '061': 'Họ tên không đúng (đúng ký tự đầu).',
  '070': 'Ngày sinh không đúng.',
  '110': 'Thẻ đã bị thu hồi.',
  '205': 'Lỗi định dạng tham số.',
};

/**
 * The simulator's `KQNhanLichSuKCB2024` logic (docs/standards.md §6.2, §6.3), pure apart from
 * reading the registry. Checks run in this order: parameters (205), officer (054/055), card code
 * shape (051/052/053), card known (050), name (060/061), birth date (070); a look-up that passes
 * them all answers the card's own result code with the card facts and visit history.
 *
 * Names are compared as VSS compares registered names: case and spacing ignored, diacritics NOT
 * ignored ("Lê" ≠ "Le"), since the card carries the name as registered.
 */
export function answerCardCheck(body: unknown, context: CardCheckContext): CardCheckAnswer {
  const request = readRequest(body);
  if (!request) return rejected('205');
  const officer = context.officers.find((o) => o.nationalId === request.cccdCb);
  if (!officer) return rejected('054');
  if (normalizeVssName(officer.name) !== normalizeVssName(request.hoTenCb)) return rejected('055');
  const found = findPerson(request.maThe.trim().toUpperCase(), context.registry);
  if (typeof found === 'string') return rejected(found);
  const card = found.card;
  const socialInsuranceNumber = found.insuranceNumber?.slice(5) ?? null;
  if (!card || socialInsuranceNumber === null) return rejected('050');
  const registered = normalizeVssName(found.name.full);
  const asked = normalizeVssName(request.hoTen);
  if (registered !== asked) return { response: message(registered[0] === asked[0] ? '061' : '060'), socialInsuranceNumber };
  if (!birthDateMatches(request.ngaySinh, found.birthDate)) return { response: message('070'), socialInsuranceNumber };
  return { response: cardResponse(found, context, socialInsuranceNumber), socialInsuranceNumber };
}

/** All five fields present as non-empty strings, ngaySinh dd/mm/yyyy (or a bare year, §6.2 [U]). */
function readRequest(body: unknown): CardCheckRequest | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const fields = body as Record<string, unknown>;
  const values = ['maThe', 'hoTen', 'ngaySinh', 'hoTenCb', 'cccdCb'].map((name) => fields[name]);
  if (!values.every((v): v is string => typeof v === 'string' && v.trim() !== '')) return undefined;
  const [maThe, hoTen, ngaySinh, hoTenCb, cccdCb] = values as [string, string, string, string, string];
  if (parseVssDate(ngaySinh) === undefined && !/^\d{4}$/.test(ngaySinh)) return undefined;
  return { maThe, hoTen, ngaySinh, hoTenCb, cccdCb: cccdCb.trim() };
}

/** maThe as a 15-character card, a bare BHXH code or a CCCD (§5.1); a code string when not found. */
function findPerson(maThe: string, registry: VssCardRegistry): SyntheticPerson | string {
  if (/^\d{12}$/.test(maThe)) return registry.personByNationalId(maThe) ?? '050';
  if (/^\d{10}$/.test(maThe)) return registry.personByBhxhCode(maThe) ?? '050';
  if (maThe.length !== 15 || !/^[A-Z]{2}/.test(maThe)) return '051';
  if (!/^[1-5]$/.test(maThe[2] ?? '')) return '053';
  if (!isProvinceCode(maThe.slice(3, 5))) return '052';
  if (!/^\d{10}$/.test(maThe.slice(5))) return '051';
  const person = registry.personByBhxhCode(maThe.slice(5));
  if (!person) return '050';
  // The BHXH code exists but this card code was never issued to it.
  const issued = [person.insuranceNumber, person.card?.newCard?.number];
  return issued.includes(maThe) ? person : '051';
}

function birthDateMatches(ngaySinh: string, birthDate: string): boolean {
  return /^\d{4}$/.test(ngaySinh) ? birthDate.startsWith(ngaySinh) : parseVssDate(ngaySinh) === birthDate;
}

function cardResponse(person: SyntheticPerson, context: CardCheckContext, socialInsuranceNumber: string): CardCheckResponse {
  const card = person.card as NonNullable<SyntheticPerson['card']>;
  const cardNumber = person.insuranceNumber as string;
  const newCard = card.newCard ?? null;
  return {
    ...message(card.resultCode),
    maThe: cardNumber,
    hoTen: person.name.full,
    ngaySinh: formatVssDate(person.birthDate),
    gioiTinh: person.gender === 'FEMALE' ? 'Nữ' : 'Nam',
    diaChi: person.address ?? null,
    maDKBD: card.registeredFacilityCode,
    cqBHXH: `BHXH ${PROVINCES[cardNumber.slice(3, 5)] ?? ''}`.trim(),
    gtTheTu: formatVssDate(card.validFrom),
    gtTheDen: formatVssDate(card.validTo),
    maKV: card.livingAreaCode,
    ngayDu5Nam: card.fiveYearsContinuousFrom ? formatVssDate(card.fiveYearsContinuousFrom) : null,
    maSoBHXH: socialInsuranceNumber,
    maTheCu: null,
    maTheMoi: newCard?.number ?? null,
    gtTheTuMoi: newCard ? formatVssDate(newCard.validFrom) : null,
    gtTheDenMoi: newCard ? formatVssDate(newCard.validTo) : null,
    maDKBDMoi: newCard?.registeredFacilityCode ?? null,
    tenDKBDMoi: newCard ? context.registry.facilityName(newCard.registeredFacilityCode) : null,
    dsLichSuKCB2018: visitHistory(person, context.registry),
    dsLichSuKT2018: [...context.lookupHistory(socialInsuranceNumber)],
  };
}

/**
 * VSS knows only the visits a facility claimed on the card: encounters of records registered
 * with the insurance number (QĐ 130 XML1 is submitted per insured episode). Newest first.
 */
function visitHistory(person: SyntheticPerson, registry: VssCardRegistry): VssVisitHistoryItem[] {
  const registeredFacility = person.card?.registeredFacilityCode;
  const items = person.records.filter((r) => r.hasInsuranceNumber).flatMap((record) =>
    record.resources.encounters.map((encounter): VssVisitHistoryItem & { readonly sortKey: string } => {
      const primary = encounter.diagnoses.find((d) => d.role === 'PRIMARY');
      return {
        sortKey: encounter.period.start ?? '',
        maHoSo: `HS${record.facilityCode}${encounter.id.replace(/\D/g, '')}`,
        maCSKCB: record.facilityCode,
        tenCSKCB: registry.facilityName(record.facilityCode),
        ngayVao: encounter.period.start ? formatQd130DateTime(encounter.period.start) : null,
        ngayRa: encounter.period.end ? formatQd130DateTime(encounter.period.end) : null,
        tenBenh: encounter.diagnoses.map((d) => d.code.display ?? d.code.code).join('; '),
        tinhTrang: '1',
        kqDieuTri: primary && diagnosisByCode(primary.code.code)?.chronic ? '2' : '1',
        lyDoVV: encounter.class === 'EMERGENCY' ? '2' : record.facilityCode === registeredFacility ? '1' : '4',
      };
    }));
  items.sort((a, b) => b.sortKey.localeCompare(a.sortKey));
  return items.map(({ sortKey: _sortKey, ...item }) => item);
}

function message(code: string): CardCheckResponse {
  return { maKetQua: code, ghiChu: MESSAGES[code] ?? null };
}

function rejected(code: string): CardCheckAnswer {
  return { response: message(code), socialInsuranceNumber: null };
}
