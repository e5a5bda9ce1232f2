/**
 * The tables of a QĐ 130 / 4750 claim (docs/standards.md §2.2): `LOAIHOSO` XML0–XML15. XML1–XML5
 * are mapped to clinical resources; the others are recognised and counted only.
 */
export type MappedTable = 'XML1' | 'XML2' | 'XML3' | 'XML4' | 'XML5';

export const MAPPED_TABLES: readonly MappedTable[] = ['XML1', 'XML2', 'XML3', 'XML4', 'XML5'];

/** Where the records of a mapped table sit in its inner document. */
export interface TableShape {
  readonly table: MappedTable;
  /** Accepted inner roots: the QĐ 130 one (with the `CHITIEU_*` wrapper) and the QĐ 4210 one. */
  readonly roots: readonly string[];
  /** The element holding one record's fields (XML1: the root itself). */
  readonly recordTag: string;
}

export const TABLE_SHAPES: Readonly<Record<MappedTable, TableShape>> = {
  XML1: { table: 'XML1', roots: ['TONG_HOP'], recordTag: 'TONG_HOP' },
  XML2: { table: 'XML2', roots: ['CHITIEU_CHITIET_THUOC', 'DSACH_CHI_TIET_THUOC'], recordTag: 'CHI_TIET_THUOC' },
  XML3: { table: 'XML3', roots: ['CHITIEU_CHITIET_DVKT_VTYT', 'DSACH_CHI_TIET_DVKT'], recordTag: 'CHI_TIET_DVKT' },
  XML4: { table: 'XML4', roots: ['CHITIEU_CHITIET_DICHVUCANLAMSANG', 'DSACH_CHI_TIET_CLS'], recordTag: 'CHI_TIET_CLS' },
  XML5: {
    table: 'XML5',
    roots: ['CHITIEU_CHITIET_DIENBIENLAMSANG', 'DSACH_CHI_TIET_DIEN_BIEN_BENH'],
    recordTag: 'CHI_TIET_DIEN_BIEN_BENH',
  },
};

/** `XML0` … `XML15`: the table names QĐ 130 + 4750 define. */
export function isXml130TableName(name: string): boolean {
  const match = /^XML(\d{1,2})$/.exec(name);
  return match !== null && Number(match[1]) <= 15 && !/^XML0\d/.test(name);
}

export function isMappedTable(name: string): name is MappedTable {
  return (MAPPED_TABLES as readonly string[]).includes(name);
}

/** Counts per table in table order (XML0, XML1, … XML15), for stable reports. */
export function inTableOrder(counts: Readonly<Record<string, number>>): Record<string, number> {
  const number = (name: string): number => Number(name.slice(3));
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => number(a) - number(b)));
}
