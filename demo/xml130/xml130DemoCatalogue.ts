/**
 * Catalogue codes the demo claim files need and the synthetic population does not carry. All are
 * illustrative: shaped like the real catalogues (DVKT `XX.YYYY.ZZZZ` of QĐ 7603, supplies of
 * QĐ 5086; docs/standards.md §4.4) but not checked against them. Synthetic data only.
 */

/** DVKT code billed for each ICD-9-CM procedure of the population (XML3 MA_DICH_VU). */
export const SERVICE_BY_ICD9: Readonly<Record<string, string>> = {
  '47.01': '10.0448.0535',
  '51.23': '10.0455.0581',
  '79.02': '10.0935.0473',
  '86.59': '10.0116.0211',
  '44.13': '02.0300.0134',
  '88.76': '18.0015.0001',
  '87.44': '18.0066.0028',
  '87.03': '18.0134.0041',
  '89.52': '02.0085.1778',
  '93.94': '02.0024.0087',
};

/** CLS service (XML4 MA_DICH_VU) under which each LOINC result of the population is reported. */
export const CLS_SERVICE_BY_LOINC: Readonly<Record<string, string>> = {
  '718-7': '22.0120.1370',
  '6690-2': '22.0120.1370',
  '777-3': '22.0120.1370',
  '14749-6': '23.0075.1494',
  '4548-4': '23.0083.1523',
  '14682-9': '23.0051.1494',
  '14647-2': '23.0041.1506',
  '14927-8': '23.0158.1506',
  '1742-6': '23.0020.1493',
  '1920-8': '23.0019.1493',
  '3016-3': '23.0162.1561',
  '8480-6': '02.0001.0001',
  '8462-4': '02.0001.0001',
  '8310-5': '02.0001.0001',
};

/** The supply billed next to every procedure (an XML3 row without MA_DICH_VU). */
export const DEMO_SUPPLY = { code: 'N03.02.070', name: 'Găng tay phẫu thuật tiệt trùng', unit: 'Đôi', price: 6_500 } as const;

/** Practising-certificate number of the demo prescriber (MA_BAC_SI), by facility. */
export function demoDoctorCertificate(facilityCode: string): string {
  return `00${facilityCode.slice(2)}1/${facilityCode.slice(0, 2)}-CCHN`;
}

/** Health ID (BHXH code) of demo staff (MA_TTDV, MA_BS_DOC_KQ, NGUOI_THUC_HIEN), by facility. */
export function demoStaffHealthId(facilityCode: string, staff: 1 | 2 | 3): string {
  return `${facilityCode}0000${staff}`;
}
