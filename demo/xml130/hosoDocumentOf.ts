import type { MappedTable } from '../../adapters/xml130/xml130Tables';
import { detailRecordsOf } from './detailRecordsOf';
import type { HosoDocument } from './GiamDinhHsFileWriter';
import type { HosoIds, HosoSource } from './HosoSource';
import { innerDocumentOf } from './innerDocumentOf';
import { tongHopRecordOf } from './tongHopRecordOf';

/** The HOSO of one encounter: XML1, then each of XML2–XML5 that has records (only the tables that apply, §2.1). */
export function hosoDocumentOf(source: HosoSource, ids: HosoIds): HosoDocument {
  const details = detailRecordsOf(source, ids);
  const tables: { table: MappedTable; xml: string }[] = [{ table: 'XML1', xml: innerDocumentOf('XML1', [tongHopRecordOf(source, ids, details)]) }];
  for (const table of ['XML2', 'XML3', 'XML4', 'XML5'] as const) {
    if (details[table].length > 0) tables.push({ table, xml: innerDocumentOf(table, details[table]) });
  }
  return { tables };
}
