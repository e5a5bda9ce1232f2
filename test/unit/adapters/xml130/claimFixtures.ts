/**
 * Hand-written QĐ 130 / 4210 claim files for the xml130 tests: written here, independently of the
 * demo writer, so reader and writer cannot share a mistake. Synthetic values only.
 */
export type Fields = Readonly<Record<string, string>>;

const DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';

/** A valid QĐ 130 XML1 record for a made-up episode; override fields per test. */
export function xml1Fields(maLk: string, overrides: Fields = {}): Fields {
  return {
    MA_LK: maLk,
    STT: '1',
    MA_BN: `BN-${maLk}`,
    HO_TEN: 'Trần Thị Mai',
    SO_CCCD: '001190012345',
    NGAY_SINH: '199003150000',
    GIOI_TINH: '2',
    MA_THE_BHYT: 'DN4010123456789',
    LY_DO_VV: 'Sốt, ho 3 ngày',
    CHAN_DOAN_RV: 'Viêm phổi, không đặc hiệu; Tăng huyết áp vô căn',
    MA_BENH_CHINH: 'J18.9',
    MA_BENH_KT: 'I10',
    MA_DOITUONG_KCB: '1.1',
    NGAY_VAO: '202403010830',
    NGAY_RA: '202403051000',
    T_TONGCHI_BV: '1250000.50',
    T_BNTT: '0',
    T_BNCCT: '250000.10',
    T_BHTT: '1000000.40',
    MA_LOAI_KCB: '03',
    MA_KHOA: 'K01;K03',
    MA_CSKCB: '01901',
    ...overrides,
  };
}

/** Field elements of a record; a value starting with `<![CDATA[` is written as is. */
function fieldsXml(fields: Fields): string {
  return Object.entries(fields)
    .map(([name, value]) => `<${name}>${value.startsWith('<![CDATA[') ? value : escape(value)}</${name}>`)
    .join('');
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Inner XML1 document (`TONG_HOP`), declaration included. */
export function tongHopXml(fields: Fields): string {
  return `${DECLARATION}\n<TONG_HOP>${fieldsXml(fields)}</TONG_HOP>`;
}

const DETAIL_TAGS = {
  XML2: ['CHITIEU_CHITIET_THUOC', 'DSACH_CHI_TIET_THUOC', 'CHI_TIET_THUOC'],
  XML3: ['CHITIEU_CHITIET_DVKT_VTYT', 'DSACH_CHI_TIET_DVKT', 'CHI_TIET_DVKT'],
  XML4: ['CHITIEU_CHITIET_DICHVUCANLAMSANG', 'DSACH_CHI_TIET_CLS', 'CHI_TIET_CLS'],
  XML5: ['CHITIEU_CHITIET_DIENBIENLAMSANG', 'DSACH_CHI_TIET_DIEN_BIEN_BENH', 'CHI_TIET_DIEN_BIEN_BENH'],
} as const;

/** Inner XML2–XML5 document: QĐ 130 form (`CHITIEU_*` wrapper) or QĐ 4210 form (list as root). */
export function detailXml(table: keyof typeof DETAIL_TAGS, rows: readonly Fields[], form: '130' | '4210' = '130'): string {
  const [root, list, record] = DETAIL_TAGS[table];
  const body = `<${list}>${rows.map((row) => `<${record}>${fieldsXml(row)}</${record}>`).join('')}</${list}>`;
  return `${DECLARATION}\n${form === '130' ? `<${root}>${body}</${root}>` : body}`;
}

export function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** One FILEHOSO; `content` goes into NOIDUNGFILE verbatim (Base64 it first for the normal form). */
export function fileHoso(table: string, content: string): string {
  return `<FILEHOSO><LOAIHOSO>${table}</LOAIHOSO><NOIDUNGFILE>${content}</NOIDUNGFILE></FILEHOSO>`;
}

/** A HOSO of Base64 inner documents, the normal form. */
export function hosoXml(tables: readonly (readonly [string, string])[]): string {
  return `<HOSO>${tables.map(([table, xml]) => fileHoso(table, base64(xml))).join('')}</HOSO>`;
}

/** A HOSO whose FILEHOSO are given raw (for broken or unusual content). */
export function rawHosoXml(files: readonly string[]): string {
  return `<HOSO>${files.join('')}</HOSO>`;
}

/** The GIAMDINHHS envelope around some HOSO. */
export function envelopeXml(hoso: readonly string[], options: { facilityCode?: string; declaredCount?: number; prolog?: string } = {}): string {
  return [
    DECLARATION,
    options.prolog ?? '',
    '<GIAMDINHHS xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">',
    `<THONGTINDONVI><MACSKCB>${options.facilityCode ?? '01901'}</MACSKCB></THONGTINDONVI>`,
    `<THONGTINHOSO><NGAYLAP>20240310</NGAYLAP><SOLUONGHOSO>${options.declaredCount ?? hoso.length}</SOLUONGHOSO><DANHSACHHOSO>`,
    ...hoso,
    '</DANHSACHHOSO></THONGTINHOSO><CHUKYDONVI /></GIAMDINHHS>',
  ].join('\n');
}

/** A complete, valid HOSO with XML1–XML5 for an episode (QĐ 130, Base64). */
export function fullHosoXml(maLk: string, xml1Overrides: Fields = {}): string {
  return hosoXml([
    ['XML1', tongHopXml(xml1Fields(maLk, xml1Overrides))],
    ['XML2', detailXml('XML2', [{
      MA_LK: maLk, STT: '1', MA_THUOC: '40.48', TEN_THUOC: '<![CDATA[Paracetamol]]>', HAM_LUONG: '500mg', DON_VI_TINH: 'viên',
      DUONG_DUNG: '1.01', LIEU_DUNG: '<![CDATA[1 viên/lần * 3 lần/ngày * 5 ngày]]>', SO_LUONG: '15', NGAY_YL: '202403010900',
    }])],
    ['XML3', detailXml('XML3', [
      { MA_LK: maLk, STT: '1', MA_DICH_VU: '18.0066.0028', MA_PTTT_QT: '87.44', TEN_DICH_VU: 'Chụp X-quang ngực thẳng', NGAY_YL: '202403010845', NGAY_TH_YL: '202403010910' },
      { MA_LK: maLk, STT: '2', MA_VAT_TU: 'N03.02.070', TEN_VAT_TU: 'Găng tay', NGAY_YL: '202403010845' },
    ])],
    ['XML4', detailXml('XML4', [
      { MA_LK: maLk, STT: '1', MA_DICH_VU: '22.0120.1370', MA_CHI_SO: 'H02', TEN_CHI_SO: 'Huyết sắc tố', GIA_TRI: '13,5', DON_VI_DO: 'g/dL', KET_LUAN: 'Bình thường', NGAY_KQ: '202403011000' },
      { MA_LK: maLk, STT: '2', MA_DICH_VU: '18.0066.0028', MO_TA: '<![CDATA[Đám mờ thùy dưới phổi phải]]>', KET_LUAN: 'Viêm phổi', NGAY_KQ: '202403011015' },
    ])],
    ['XML5', detailXml('XML5', [
      { MA_LK: maLk, STT: '1', DIEN_BIEN_LS: '<![CDATA[Sốt 38.5 độ, ho khạc đờm. CSST<M90_T38.5_HA120/80>]]>', THOI_DIEM_DBLS: '202403010840' },
    ])],
  ]);
}
