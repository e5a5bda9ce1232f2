import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import type { IsoDate } from '../../contracts/model/patient';
import { XML_DECLARATION } from './innerDocumentOf';
import { escapeXml } from './xmlMarkup';

/** One HOSO to write: its inner table documents (XML declaration included), in table order. */
export interface HosoDocument {
  readonly tables: readonly { readonly table: string; readonly xml: string }[];
}

/**
 * How NOIDUNGFILE carries an inner document: Base64 of its UTF-8 bytes (what QĐ 130 prescribes),
 * or the document nested as plain XML (what some software writes; readers accept it).
 */
export type ContentEncoding = 'base64' | 'nested';

export interface GiamDinhHsFileOptions {
  /** THONGTINDONVI/MACSKCB. */
  readonly facilityCode: string;
  /** THONGTINHOSO/SOLUONGHOSO: written before the list, so known up front. */
  readonly hosoCount: number;
  /** NGAYLAP. */
  readonly createdOn: IsoDate;
  readonly contentEncoding?: ContentEncoding;
}

/**
 * Streams one `GIAMDINHHS` claim file (docs/standards.md §2.1) to disk HOSO by HOSO, with
 * back-pressure, so a file of any size is written in constant memory.
 */
export class GiamDinhHsFileWriter {
  private written = 0;

  private constructor(
    private readonly stream: WriteStream,
    private readonly options: GiamDinhHsFileOptions,
  ) {}

  static async open(path: string, options: GiamDinhHsFileOptions): Promise<GiamDinhHsFileWriter> {
    const stream = createWriteStream(path, { encoding: 'utf8' });
    await once(stream, 'open');
    const writer = new GiamDinhHsFileWriter(stream, options);
    await writer.write([
      XML_DECLARATION,
      '<GIAMDINHHS xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">',
      `<THONGTINDONVI><MACSKCB>${escapeXml(options.facilityCode)}</MACSKCB></THONGTINDONVI>`,
      '<THONGTINHOSO>',
      `<NGAYLAP>${options.createdOn.replace(/-/g, '')}</NGAYLAP>`,
      `<SOLUONGHOSO>${options.hosoCount}</SOLUONGHOSO>`,
      '<DANHSACHHOSO>',
    ].join('\n'));
    return writer;
  }

  async add(hoso: HosoDocument): Promise<void> {
    this.written += 1;
    const files = hoso.tables.map(({ table, xml }) =>
      `<FILEHOSO><LOAIHOSO>${table}</LOAIHOSO><NOIDUNGFILE>${this.content(xml)}</NOIDUNGFILE></FILEHOSO>`);
    await this.write(`\n<HOSO>${files.join('')}</HOSO>`);
  }

  async close(): Promise<void> {
    if (this.written !== this.options.hosoCount) {
      this.stream.destroy();
      throw new Error(`GiamDinhHsFileWriter: SOLUONGHOSO said ${this.options.hosoCount}, ${this.written} HOSO were added`);
    }
    // CHUKYDONVI: the facility's signature; the demo does not sign.
    this.stream.end('\n</DANHSACHHOSO>\n</THONGTINHOSO>\n<CHUKYDONVI />\n</GIAMDINHHS>\n');
    await once(this.stream, 'finish');
  }

  private content(xml: string): string {
    if ((this.options.contentEncoding ?? 'base64') === 'base64') return Buffer.from(xml, 'utf8').toString('base64');
    return xml.startsWith(XML_DECLARATION) ? xml.slice(XML_DECLARATION.length).trimStart() : xml;
  }

  private async write(text: string): Promise<void> {
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }
}
