import { QD130_FIELDS } from '../../adapters/xml130/qd130Fields';
import { TABLE_SHAPES, type MappedTable } from '../../adapters/xml130/xml130Tables';
import { element } from './xmlMarkup';

/** The values of one record, by QĐ 130 field name; fields left out are written empty. */
export type Xml130Record = Readonly<Record<string, string | number>>;

/** Free-text fields, written as CDATA like production software does (docs/standards.md §2.1). */
const FREE_TEXT = new Set([
  'HO_TEN', 'DIA_CHI', 'LY_DO_VV', 'LY_DO_VNT', 'CHAN_DOAN_VAO', 'CHAN_DOAN_RV', 'PP_DIEU_TRI', 'GHI_CHU',
  'TEN_THUOC', 'DANG_BAO_CHE', 'LIEU_DUNG', 'CACH_DUNG', 'TEN_DICH_VU', 'TEN_VAT_TU', 'TEN_CHI_SO', 'MO_TA',
  'KET_LUAN', 'DIEN_BIEN_LS', 'GIAI_DOAN_BENH', 'HOI_CHAN', 'PHAU_THUAT',
]);

export const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';

/**
 * One inner table document in its QĐ 130 / 4750 form (docs/standards.md §2.2), XML declaration
 * included: XML1 is the `TONG_HOP` record itself; XML2–XML5 wrap their records in the
 * `CHITIEU_*` root and the `DSACH_*` list. Every field of the table is written, in QĐ 4750 order.
 */
export function innerDocumentOf(table: MappedTable, records: readonly Xml130Record[]): string {
  const shape = TABLE_SHAPES[table];
  const body = records.map((record) => recordOf(shape.recordTag, table, record)).join('');
  if (table === 'XML1') return `${XML_DECLARATION}\n${body}`;
  const [root, list] = shape.roots;
  return `${XML_DECLARATION}\n<${root}><${list}>${body}</${list}></${root}>`;
}

function recordOf(tag: string, table: MappedTable, record: Xml130Record): string {
  const fields = QD130_FIELDS[table].map((name) => element(name, String(record[name] ?? ''), { cdata: FREE_TEXT.has(name) }));
  return `<${tag}>${fields.join('')}</${tag}>`;
}
