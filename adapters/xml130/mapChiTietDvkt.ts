import { CODE_SYSTEMS, type Coding, type Procedure } from '../../contracts/model/clinical';
import type { Xml130Row } from './InnerDocument';
import { invalidMapping, mapped, type Mapping } from './Mapping';
import { splitQd130List } from './qd130Formats';
import { problemsOf, readDetailRows } from './readDetailRows';
import type { Xml130RowReader } from './Xml130RowReader';

/** What XML3 of one HOSO gives. */
export interface ChiTietDvkt {
  readonly procedures: readonly Procedure[];
  /** Rows that bill only a medical supply (no MA_DICH_VU): counted, not procedures. */
  readonly supplyRows: number;
}

/**
 * Maps XML3 (`CHI_TIET_DVKT`, technical services and supplies; QĐ 130/4750 §3.3, QĐ 4210 §3.8)
 * to Procedures. A row with field 3 MA_DICH_VU is a service: coded by field 4 MA_PTTT_QT
 * (ICD-9-CM, QĐ 4440) when given, else by MA_DICH_VU (DMDC DVKT code, QĐ 7603), with display
 * field 9 TEN_DICH_VU, performed at field 38 NGAY_TH_YL, else field 37 NGAY_YL. A row without
 * MA_DICH_VU bills a supply only (field 5 MA_VAT_TU).
 */
export function mapChiTietDvkt(rows: readonly Xml130Row[], maLk: string): Mapping<ChiTietDvkt> {
  const detail = readDetailRows('XML3', rows, maLk);
  const procedures: Procedure[] = [];
  let supplyRows = 0;
  for (const { id, read } of detail.rows) {
    const service = read.text('MA_DICH_VU');
    const ordered = read.dateTime('NGAY_YL');
    const performed = read.dateTime('NGAY_TH_YL');
    if (service === null) {
      supplyRows += 1;
      continue;
    }
    procedures.push({
      id,
      // Field 3 suffix `_TB`: the procedure was started and abandoned (tai biến / bỏ dở).
      status: /_TB$/i.test(service) ? 'STOPPED' : 'COMPLETED',
      code: procedureCode(read, service),
      performedDateTime: performed ?? ordered,
      encounterId: maLk,
    });
  }
  const problems = problemsOf(detail);
  return problems.length > 0 ? invalidMapping(problems) : mapped({ procedures, supplyRows });
}

function procedureCode(read: Xml130RowReader, service: string): Coding {
  const display = read.text('TEN_DICH_VU');
  const icd9 = splitQd130List(read.text('MA_PTTT_QT'))[0];
  return icd9 === undefined
    ? { system: CODE_SYSTEMS.VN_DMDC_SERVICE, code: service, display }
    : { system: CODE_SYSTEMS.ICD9CM, code: icd9, display };
}
