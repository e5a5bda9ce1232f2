import { CODE_SYSTEMS, type Coding, type Observation } from '../../contracts/model/clinical';
import type { Xml130Row } from './InnerDocument';
import { invalidMapping, mapped, type Mapping } from './Mapping';
import { parseResultNumber } from './qd130Formats';
import { problemsOf, readDetailRows } from './readDetailRows';
import type { Xml130RowReader } from './Xml130RowReader';

/**
 * Maps XML4 (`CHI_TIET_CLS`, paraclinical results; QĐ 130/4750 §3.4, same names in QĐ 4210) to
 * Observations: coded by field 4 MA_CHI_SO (indicator, QĐ 7603 App. 11) or, without one, field 3
 * MA_DICH_VU (the CLS service); display field 5 TEN_CHI_SO. A numeric field 6 GIA_TRI is a
 * quantity in field 7 DON_VI_DO; any other value (or, without one, the reader's description field
 * 8 MO_TA) is text. Field 9 KET_LUAN is the interpretation, field 10 NGAY_KQ the time.
 */
export function mapChiTietCls(rows: readonly Xml130Row[], maLk: string): Mapping<Observation[]> {
  const detail = readDetailRows('XML4', rows, maLk);
  const observations = detail.rows.map(({ id, read }): Observation => {
    const code = indicatorCode(read);
    const raw = read.text('GIA_TRI');
    const value = raw === null ? undefined : parseResultNumber(raw);
    const interpretation = read.text('KET_LUAN');
    const valueString = value === undefined ? raw ?? read.text('MO_TA') : null;
    return {
      id,
      // GIA_TRI may still be empty at discharge (§3.4): such a row is an ordered, not a final, result.
      status: value !== undefined || valueString !== null || interpretation !== null ? 'FINAL' : 'REGISTERED',
      code,
      valueQuantity: value === undefined ? null : { value, unit: read.text('DON_VI_DO'), code: null },
      valueString,
      interpretation,
      effectiveDateTime: read.dateTime('NGAY_KQ'),
      encounterId: maLk,
    };
  });
  const problems = problemsOf(detail);
  return problems.length > 0 ? invalidMapping(problems) : mapped(observations);
}

function indicatorCode(read: Xml130RowReader): Coding {
  const display = read.text('TEN_CHI_SO');
  const indicator = read.text('MA_CHI_SO');
  if (indicator !== null) return { system: CODE_SYSTEMS.VN_DMDC_INDICATOR, code: indicator, display };
  const service = read.required('MA_DICH_VU');
  return { system: CODE_SYSTEMS.VN_DMDC_SERVICE, code: service ?? '', display };
}
