/**
 * One inner table document of a HOSO (the XML inside NOIDUNGFILE), reduced to its records: each
 * record is a map from field name (`MA_LK`, `NGAY_YL`, …) to its text, CDATA unwrapped and
 * surrounding white space trimmed. A Map, not an object: field names come from the file.
 */
export type Xml130Row = ReadonlyMap<string, string>;

export interface InnerDocument {
  /** The inner root element: tells QĐ 130 (`CHITIEU_*`) from QĐ 4210 forms. */
  readonly root: string;
  readonly rows: readonly Xml130Row[];
}
