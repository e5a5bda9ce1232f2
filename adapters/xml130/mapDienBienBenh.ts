import { CODE_SYSTEMS, type Coding, type Observation } from '../../contracts/model/clinical';
import type { Xml130Row } from './InnerDocument';
import { invalidMapping, mapped, type Mapping } from './Mapping';
import { problemsOf, readDetailRows } from './readDetailRows';

/** LOINC 11506-3: the clinical-course notes of XML5 are progress notes. */
export const PROGRESS_NOTE: Coding = { system: CODE_SYSTEMS.LOINC, code: '11506-3', display: 'Progress note' };

/**
 * Maps XML5 (`CHI_TIET_DIEN_BIEN_BENH`, clinical course; QĐ 130/4750 §3.5) to Observations coded
 * as progress notes: the text of field 3 DIEN_BIEN_LS (QĐ 4210 DIEN_BIEN) at field 7
 * THOI_DIEM_DBLS (QĐ 4210 NGAY_YL). The note is kept as written, vital signs (`CSST<…>`) included.
 */
export function mapDienBienBenh(rows: readonly Xml130Row[], maLk: string): Mapping<Observation[]> {
  const detail = readDetailRows('XML5', rows, maLk);
  const notes = detail.rows.map(({ id, read }): Observation => ({
    id,
    status: 'FINAL',
    code: PROGRESS_NOTE,
    valueQuantity: null,
    valueString: read.required('DIEN_BIEN_LS'),
    interpretation: null,
    effectiveDateTime: read.dateTime('THOI_DIEM_DBLS'),
    encounterId: maLk,
  }));
  const problems = problemsOf(detail);
  return problems.length > 0 ? invalidMapping(problems) : mapped(notes);
}
