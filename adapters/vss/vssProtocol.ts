import { createHash } from 'node:crypto';

/**
 * The wire protocol of the VSS (BHXH) web service as docs/standards.md §6 describes it: login at
 * `/api/token/take`, card check and visit history at `/api/egw/KQNhanLichSuKCB2024`. Field names
 * are VSS's own (Vietnamese abbreviations); every field a real server may leave out is optional.
 * The client (adapters/vss/VssClient) and the simulator (demo/vss) both speak it from here.
 */
export const VSS_PATHS = {
  /** §6.1 login. */
  tokenTake: '/api/token/take',
  /** §6.2 card check + visit history, the 2024 generation (CV 1923/BHXH-CNTT). */
  cardCheck: '/api/egw/KQNhanLichSuKCB2024',
} as const;

/** §6.1 request body; `password` is the MD5 hex of the account password. */
export interface TokenTakeRequest {
  readonly username: string;
  readonly password: string;
}

export interface VssApiKey {
  readonly access_token: string;
  readonly id_token: string;
  readonly token_type: string;
  readonly username: string;
  /** Seen as a string; whether seconds or a timestamp is not confirmed (§6.1), so both are read. */
  readonly expires_in: string;
}

/** §6.1 response: `maKetQua` "200" with `APIKey` on success, "401" on wrong credentials. */
export interface TokenTakeResponse {
  readonly maKetQua: string;
  readonly APIKey?: VssApiKey;
}

/** The query string every egw call carries (§6.2). */
export interface VssCallCredentials {
  readonly token: string;
  readonly id_token: string;
  readonly username: string;
  readonly password: string;
}

/** §6.2 `KQNhanLichSuKCB2024` request body. */
export interface CardCheckRequest {
  /** 15-character card code, bare 10-digit BHXH code, or 12-digit CCCD (§5.1). */
  readonly maThe: string;
  readonly hoTen: string;
  /** dd/mm/yyyy. */
  readonly ngaySinh: string;
  /** Name of the staff member doing the look-up (required since the 2024 API). */
  readonly hoTenCb: string;
  /** CCCD of the staff member doing the look-up. */
  readonly cccdCb: string;
}

/** §6.2 `dsLichSuKCB2018[]`: one insured visit. */
export interface VssVisitHistoryItem {
  readonly maHoSo?: string | null;
  readonly maCSKCB?: string | null;
  readonly tenCSKCB?: string | null;
  /** yyyyMMddHHmm, Viet Nam wall clock. */
  readonly ngayVao?: string | null;
  readonly ngayRa?: string | null;
  readonly tenBenh?: string | null;
  /** 1 discharged, 2 transferred, 3 absconded, 4 left on request. */
  readonly tinhTrang?: string | null;
  /** 1 cured, 2 improved, 3 unchanged, 4 worse, 5 died. */
  readonly kqDieuTri?: string | null;
  /** 1 in-route, 2 emergency, 3 off-route, 4 cross-district. */
  readonly lyDoVV?: string | null;
}

/** §6.2 `dsLichSuKT2018[]`: one earlier look-up of the card. */
export interface VssLookupHistoryItem {
  readonly userKT?: string | null;
  /** yyyyMMddHHmm. */
  readonly thoiGianKT?: string | null;
  readonly thongBao?: string | null;
  readonly maLoi?: string | null;
}

/** §6.2 `KQNhanLichSuKCB2024` response. Dates are dd/mm/yyyy. */
export interface CardCheckResponse {
  readonly maKetQua: string;
  readonly ghiChu?: string | null;
  readonly maThe?: string | null;
  readonly hoTen?: string | null;
  readonly ngaySinh?: string | null;
  readonly gioiTinh?: string | null;
  readonly diaChi?: string | null;
  readonly maDKBD?: string | null;
  readonly cqBHXH?: string | null;
  readonly gtTheTu?: string | null;
  readonly gtTheDen?: string | null;
  readonly maKV?: string | null;
  readonly ngayDu5Nam?: string | null;
  readonly maSoBHXH?: string | null;
  readonly maTheCu?: string | null;
  readonly maTheMoi?: string | null;
  readonly gtTheTuMoi?: string | null;
  readonly gtTheDenMoi?: string | null;
  readonly maDKBDMoi?: string | null;
  readonly tenDKBDMoi?: string | null;
  readonly dsLichSuKCB2018?: readonly VssVisitHistoryItem[] | null;
  readonly dsLichSuKT2018?: readonly VssLookupHistoryItem[] | null;
}

/** §6.1: VSS takes the MD5 hex of the password, not the password. */
export function vssPasswordHash(password: string): string {
  return createHash('md5').update(password, 'utf8').digest('hex');
}

/** ISO `YYYY-MM-DD` → VSS `dd/mm/yyyy` (§6.2 ngaySinh). */
export function formatVssDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}/${month}/${year}`;
}

/**
 * VSS `dd/mm/yyyy` → ISO `YYYY-MM-DD`; undefined when malformed or not a calendar date. (A
 * year-only `yyyy`, which one client sends for unknown days (§6.2), has no ISO date.)
 */
export function parseVssDate(value: string | null | undefined): string | undefined {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(value ?? '');
  if (!m) return undefined;
  const iso = `${m[3]}-${m[2]}-${m[1]}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso ? iso : undefined;
}

/**
 * A name as VSS compares it: NFC, case and spacing ignored, diacritics kept — "Lê" and "Le" are
 * different registered names (the card check answers 060/061 for them, §6.3).
 */
export function normalizeVssName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}
