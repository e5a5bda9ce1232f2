import type { Xml130Row } from './InnerDocument';
import { fieldLabel } from './qd130Fields';
import type { MappedTable } from './xml130Tables';
import { Xml130RowReader } from './Xml130RowReader';

/** One record of a detail table (XML2–XML5) with its local id. */
export interface DetailRow {
  /** `MA_LK:XMLn:STT`, unique within the facility. */
  readonly id: string;
  readonly read: Xml130RowReader;
}

/**
 * The records of a detail table of one HOSO: each must belong to the HOSO's episode (field 1
 * MA_LK equal to XML1's, when given) and have a distinct row number (field 2 STT, which makes the
 * local id; a record without STT takes its position). Problems come back for the caller to report.
 */
export function readDetailRows(table: MappedTable, rows: readonly Xml130Row[], maLk: string): { rows: DetailRow[]; problems: string[] } {
  const problems: string[] = [];
  const seen = new Set<string>();
  const result = rows.map((row, index): DetailRow => {
    const sttText = row.get('STT') ?? '';
    const stt = /^\d{1,10}$/.test(sttText) ? String(Number(sttText)) : String(index + 1);
    if (sttText !== '' && !/^\d{1,10}$/.test(sttText)) problems.push(`${fieldLabel(table, 'STT')} (row ${index + 1}) is not a row number`);
    if (seen.has(stt)) problems.push(`${fieldLabel(table, 'STT')} ${stt} appears more than once`);
    seen.add(stt);
    const read = new Xml130RowReader(table, row, `row STT ${stt}`);
    const rowMaLk = read.text('MA_LK');
    if (rowMaLk !== null && rowMaLk !== maLk) read.problem('MA_LK', 'differs from the MA_LK of XML1');
    return { id: `${maLk}:${table}:${stt}`, read };
  });
  return { rows: result, problems };
}

/** Every problem of the rows (after mapping them) plus those `readDetailRows` found. */
export function problemsOf(detail: { rows: readonly DetailRow[]; problems: readonly string[] }): string[] {
  return [...detail.problems, ...detail.rows.flatMap((row) => row.read.problems)];
}
