import type { MappedTable } from './xml130Tables';

/**
 * Field lists of the five mapped tables in QĐ 4750 order (docs/standards.md §3.1–§3.5): a field's
 * number in the decision is its index here plus one, so problem messages can cite it
 * ("XML1 field 35 NGAY_VAO"). The writer of demo/xml130 emits exactly these, in this order.
 */
export const QD130_FIELDS: Readonly<Record<MappedTable, readonly string[]>> = {
  // §3.1 XML1 TONG_HOP, 66 fields.
  XML1: [
    'MA_LK', 'STT', 'MA_BN', 'HO_TEN', 'SO_CCCD', 'NGAY_SINH', 'GIOI_TINH', 'NHOM_MAU', 'MA_QUOCTICH',
    'MA_DANTOC', 'MA_NGHE_NGHIEP', 'DIA_CHI', 'MATINH_CU_TRU', 'MAHUYEN_CU_TRU', 'MAXA_CU_TRU',
    'DIEN_THOAI', 'MA_THE_BHYT', 'MA_DKBD', 'GT_THE_TU', 'GT_THE_DEN', 'NGAY_MIEN_CCT', 'LY_DO_VV',
    'LY_DO_VNT', 'MA_LY_DO_VNT', 'CHAN_DOAN_VAO', 'CHAN_DOAN_RV', 'MA_BENH_CHINH', 'MA_BENH_KT',
    'MA_BENH_YHCT', 'MA_PTTT_QT', 'MA_DOITUONG_KCB', 'MA_NOI_DI', 'MA_NOI_DEN', 'MA_TAI_NAN',
    'NGAY_VAO', 'NGAY_VAO_NOI_TRU', 'NGAY_RA', 'GIAY_CHUYEN_TUYEN', 'SO_NGAY_DTRI', 'PP_DIEU_TRI',
    'KET_QUA_DTRI', 'MA_LOAI_RV', 'GHI_CHU', 'NGAY_TTOAN', 'T_THUOC', 'T_VTYT', 'T_TONGCHI_BV',
    'T_TONGCHI_BH', 'T_BNTT', 'T_BNCCT', 'T_BHTT', 'T_NGUONKHAC', 'T_BHTT_GDV', 'NAM_QT', 'THANG_QT',
    'MA_LOAI_KCB', 'MA_KHOA', 'MA_CSKCB', 'MA_KHUVUC', 'CAN_NANG', 'CAN_NANG_CON', 'NAM_NAM_LIEN_TUC',
    'NGAY_TAI_KHAM', 'MA_HSBA', 'MA_TTDV', 'DU_PHONG',
  ],
  // §3.2 XML2 CHI_TIET_THUOC, 39 fields (NGAY_TH_YL at 35: present in 4750 implementations).
  XML2: [
    'MA_LK', 'STT', 'MA_THUOC', 'MA_PP_CHEBIEN', 'MA_CSKCB_THUOC', 'MA_NHOM', 'TEN_THUOC', 'DON_VI_TINH',
    'HAM_LUONG', 'DUONG_DUNG', 'DANG_BAO_CHE', 'LIEU_DUNG', 'CACH_DUNG', 'SO_DANG_KY', 'TT_THAU',
    'PHAM_VI', 'TYLE_TT_BH', 'SO_LUONG', 'DON_GIA', 'THANH_TIEN_BV', 'THANH_TIEN_BH',
    'T_NGUONKHAC_NSNN', 'T_NGUONKHAC_VTNN', 'T_NGUONKHAC_VTTN', 'T_NGUONKHAC_CL', 'T_NGUONKHAC',
    'MUC_HUONG', 'T_BNTT', 'T_BNCCT', 'T_BHTT', 'MA_KHOA', 'MA_BAC_SI', 'MA_DICH_VU', 'NGAY_YL',
    'NGAY_TH_YL', 'MA_PTTT', 'NGUON_CTRA', 'VET_THUONG_TP', 'DU_PHONG',
  ],
  // §3.3 XML3 CHI_TIET_DVKT, 47 fields.
  XML3: [
    'MA_LK', 'STT', 'MA_DICH_VU', 'MA_PTTT_QT', 'MA_VAT_TU', 'MA_NHOM', 'GOI_VTYT', 'TEN_VAT_TU',
    'TEN_DICH_VU', 'MA_XANG_DAU', 'DON_VI_TINH', 'PHAM_VI', 'SO_LUONG', 'DON_GIA_BV', 'DON_GIA_BH',
    'TT_THAU', 'TYLE_TT_DV', 'TYLE_TT_BH', 'THANH_TIEN_BV', 'THANH_TIEN_BH', 'T_TRANTT', 'MUC_HUONG',
    'T_NGUONKHAC_NSNN', 'T_NGUONKHAC_VTNN', 'T_NGUONKHAC_VTTN', 'T_NGUONKHAC_CL', 'T_NGUONKHAC',
    'T_BNTT', 'T_BNCCT', 'T_BHTT', 'MA_KHOA', 'MA_GIUONG', 'MA_BAC_SI', 'NGUOI_THUC_HIEN', 'MA_BENH',
    'MA_BENH_YHCT', 'NGAY_YL', 'NGAY_TH_YL', 'NGAY_KQ', 'MA_PTTT', 'VET_THUONG_TP', 'PP_VO_CAM',
    'VI_TRI_TH_DVKT', 'MA_MAY', 'MA_HIEU_SP', 'TAI_SU_DUNG', 'DU_PHONG',
  ],
  // §3.4 XML4 CHI_TIET_CLS, 12 fields.
  XML4: [
    'MA_LK', 'STT', 'MA_DICH_VU', 'MA_CHI_SO', 'TEN_CHI_SO', 'GIA_TRI', 'DON_VI_DO', 'MO_TA', 'KET_LUAN',
    'NGAY_KQ', 'MA_BS_DOC_KQ', 'DU_PHONG',
  ],
  // §3.5 XML5 CHI_TIET_DIEN_BIEN_BENH, 9 fields.
  XML5: [
    'MA_LK', 'STT', 'DIEN_BIEN_LS', 'GIAI_DOAN_BENH', 'HOI_CHAN', 'PHAU_THUAT', 'THOI_DIEM_DBLS',
    'NGUOI_THUC_HIEN', 'DU_PHONG',
  ],
};

/**
 * QĐ 4210 names of fields QĐ 130 renamed (docs/standards.md §3.8), for the fields the mapping reads.
 * A 4210 file carries the old name; the reader accepts either.
 */
export const QD4210_NAMES: Readonly<Record<MappedTable, Readonly<Record<string, string>>>> = {
  XML1: {
    MA_THE_BHYT: 'MA_THE',
    MA_BENH_CHINH: 'MA_BENH',
    MA_BENH_KT: 'MA_BENHKHAC',
    MA_DOITUONG_KCB: 'MA_LYDO_VVIEN',
    CHAN_DOAN_RV: 'TEN_BENH',
    T_TONGCHI_BV: 'T_TONGCHI',
  },
  XML2: { THANH_TIEN_BV: 'THANH_TIEN', TYLE_TT_BH: 'TYLE_TT' },
  XML3: { THANH_TIEN_BV: 'THANH_TIEN', TYLE_TT_BH: 'TYLE_TT', DON_GIA_BV: 'DON_GIA' },
  XML4: {},
  XML5: { DIEN_BIEN_LS: 'DIEN_BIEN', THOI_DIEM_DBLS: 'NGAY_YL' },
};

/** How a problem message names a field: `XML1 field 35 NGAY_VAO` (QĐ 4750 numbering). */
export function fieldLabel(table: MappedTable, name: string): string {
  const index = QD130_FIELDS[table].indexOf(name);
  return index < 0 ? `${table} ${name}` : `${table} field ${index + 1} ${name}`;
}
