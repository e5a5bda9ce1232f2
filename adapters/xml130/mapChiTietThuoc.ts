import { CODE_SYSTEMS, type MedicationRequest, type Quantity } from '../../contracts/model/clinical';
import type { Xml130Row } from './InnerDocument';
import { internOrNull } from './internText';
import { invalidMapping, mapped, type Mapping } from './Mapping';
import { problemsOf, readDetailRows } from './readDetailRows';

/**
 * Maps XML2 (`CHI_TIET_THUOC`, drugs, blood, oxygen; QĐ 130/4750 §3.2, QĐ 4210 §3.8) to
 * MedicationRequests: field 3 MA_THUOC (DMDC active-ingredient code) with display field 7
 * TEN_THUOC + field 9 HAM_LUONG, field 12 LIEU_DUNG as the dosage text, quantity field 18
 * SO_LUONG in field 8 DON_VI_TINH, route field 10 DUONG_DUNG, authored at field 34 NGAY_YL.
 */
export function mapChiTietThuoc(rows: readonly Xml130Row[], maLk: string): Mapping<MedicationRequest[]> {
  const detail = readDetailRows('XML2', rows, maLk);
  const medications = detail.rows.map(({ id, read }): MedicationRequest => {
    const code = read.required('MA_THUOC') ?? '';
    return {
      id,
      // A claim lists what was dispensed in the episode; it does not say whether the order still runs.
      status: 'UNKNOWN',
      medication: { system: CODE_SYSTEMS.VN_DMDC_DRUG, code, display: internOrNull(drugDisplay(read.text('TEN_THUOC'), read.text('HAM_LUONG'))) },
      dosageText: read.text('LIEU_DUNG'),
      quantity: quantityOf(read.number('SO_LUONG'), read.text('DON_VI_TINH')),
      route: read.text('DUONG_DUNG'),
      authoredOn: read.dateTime('NGAY_YL'),
      encounterId: maLk,
    };
  });
  const problems = problemsOf(detail);
  return problems.length > 0 ? invalidMapping(problems) : mapped(medications);
}

/** `TEN_THUOC HAM_LUONG`, unless the name already states the strength. */
function drugDisplay(name: string | null, strength: string | null): string | null {
  if (name === null) return strength;
  if (strength === null || name.includes(strength)) return name;
  return `${name} ${strength}`;
}

function quantityOf(value: number | null, unit: string | null): Quantity | null {
  return value === null && unit === null ? null : { value, unit, code: null };
}
