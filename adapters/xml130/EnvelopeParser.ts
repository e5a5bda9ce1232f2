import type { SaxesParser, SaxesOptions } from 'saxes';
import { createSafeXmlParser, XmlReadError } from './createSafeXmlParser';
import type { NoiDungFile } from './decodeNoiDungFile';
import { MAX_ELEMENT_DEPTH, type Xml130Limits } from './Xml130Limits';

/** One FILEHOSO as found in the envelope, not yet decoded. */
export interface RawFileHoso {
  /** LOAIHOSO as written (`XML1`…); empty when missing. */
  readonly table: string;
  readonly content: NoiDungFile | null;
  /** Why the content could not be kept (over a limit), if so. */
  readonly problem: string | null;
}

/** One HOSO (treatment episode) as found in the envelope: its FILEHOSO, not yet decoded. */
export interface RawHoso {
  /** 1-based position in the file, to name a HOSO that has no readable MA_LK. */
  readonly ordinal: number;
  readonly files: readonly RawFileHoso[];
  /** Envelope-level problems of this HOSO (over its budget); it is rejected when any. */
  readonly problems: readonly string[];
}

export interface EnvelopeOptions {
  readonly limits: Xml130Limits;
  /** When set, a file whose THONGTINDONVI/MACSKCB names another facility is refused. */
  readonly expectedFacilityCode?: string;
  /** Called once per complete HOSO, in file order, while the parse goes on. */
  readonly onHoso: (hoso: RawHoso) => void;
}

const ROOT = 'GIAMDINHHS';
const FACILITY_PATH = 'GIAMDINHHS/THONGTINDONVI/MACSKCB';
const COUNT_PATH = 'GIAMDINHHS/THONGTINHOSO/SOLUONGHOSO';
const HOSO_PATH = 'GIAMDINHHS/THONGTINHOSO/DANHSACHHOSO/HOSO';
const FILE_PATH = `${HOSO_PATH}/FILEHOSO`;
const TABLE_PATH = `${FILE_PATH}/LOAIHOSO`;
const CONTENT_PATH = `${FILE_PATH}/NOIDUNGFILE`;
const CONTENT_START = '<NOIDUNGFILE>';
const BASE64_TEXT = /^[A-Za-z0-9+/=\s]*$/;

interface OpenHoso {
  readonly ordinal: number;
  readonly files: RawFileHoso[];
  readonly problems: string[];
  bytes: number;
}

interface OpenFile {
  table: string;
  readonly parts: string[];
  nested: string[] | null;
  nestedBytes: number;
  problem: string | null;
}

/**
 * Streaming reader of the outer `GIAMDINHHS` envelope (docs/standards.md §2.1): feed it text in
 * chunks; it hands over each HOSO as soon as its closing tag is read, so memory holds one HOSO at a
 * time, never the file. File-level failures (not well-formed, DOCTYPE, truncated, a text beyond
 * `maxHosoBytes`, another facility) are thrown as `XmlReadError`; HOSO read before stay handed over.
 */
export class EnvelopeParser {
  /** THONGTINDONVI/MACSKCB, once read. */
  facilityCode: string | null = null;
  /** THONGTINHOSO/SOLUONGHOSO as declared, once read. */
  declaredCount: number | null = null;
  /** HOSO elements opened so far. */
  hosoSeen = 0;

  private readonly parser: SaxesParser<SaxesOptions & { xmlns: false }>;
  private readonly stack: string[] = [];
  private path = '';
  private leaf = '';
  private hoso: OpenHoso | null = null;
  private file: OpenFile | null = null;
  /** Stack depth of an open NOIDUNGFILE; elements deeper are its nested inner document. */
  private contentDepth = -1;
  /** Positions count characters of the whole input: what saxes saw plus what bypassed it. */
  private lastEventAt = 0;
  private received = 0;
  private fedToSaxes = 0;
  private bypassed = 0;
  /** Input held back because it may be the start of a `<NOIDUNGFILE>` cut by a chunk boundary. */
  private carry = '';
  /** saxes has just read `<NOIDUNGFILE>`: Base64 text may bypass it. */
  private fastText = false;
  private sawRoot = false;

  constructor(private readonly options: EnvelopeOptions) {
    const parser = createSafeXmlParser();
    parser.on('opentag', (tag) => this.onOpen(tag.name));
    parser.on('closetag', (tag) => this.onClose(tag.name));
    parser.on('text', (text) => this.onText(text));
    parser.on('cdata', (text) => this.onText(text));
    parser.on('comment', () => this.touch());
    parser.on('processinginstruction', () => this.touch());
    parser.on('xmldecl', (decl) => {
      this.touch();
      if (decl.encoding !== undefined && !/^utf-?8$/i.test(decl.encoding)) {
        throw new XmlReadError(`the file declares encoding "${decl.encoding.slice(0, 20)}"; QĐ 130 files are UTF-8`);
      }
    });
    this.parser = parser;
  }

  write(chunk: string): void {
    this.guard(() => {
      this.received += chunk.length;
      this.feed(this.carry + chunk);
      // saxes buffers a text, comment or tag until it ends: without an event for this long, the
      // thing being read is over budget and cannot be skipped, so the file stops here.
      if (this.received - this.lastEventAt > this.options.limits.maxHosoBytes) {
        throw new XmlReadError(`a text or tag is longer than the HOSO limit of ${this.options.limits.maxHosoBytes} characters`);
      }
    });
  }

  /** Ends the document: throws when it is incomplete (a truncated file). */
  close(): void {
    this.guard(() => {
      const open = this.stack[this.stack.length - 1];
      this.toSaxes(this.carry);
      this.carry = '';
      if (!this.sawRoot) throw new XmlReadError('the file contains no XML element');
      if (open !== undefined) throw new XmlReadError(`the file ends inside <${open}> (truncated?)`);
      this.parser.close();
    });
  }

  private guard(action: () => void): void {
    try {
      action();
    } catch (error) {
      if (!(error instanceof XmlReadError) || this.hoso === null) throw error;
      throw new XmlReadError(`${error.message}, in HOSO #${this.hoso.ordinal}; it and the rest of the file were not read`);
    }
  }

  /**
   * Passes text to saxes, except Base64 NOIDUNGFILE content: saxes reads XML one character at a
   * time, and Base64 (over half of a claim file) has no markup, so right after saxes has read a
   * `<NOIDUNGFILE>` start tag, text made only of Base64 characters and white space is taken
   * directly up to the next `<`. Anything else (entities, CDATA, nested XML, a start tag written
   * differently) goes through saxes as usual.
   */
  private feed(input: string): void {
    let rest = input;
    this.carry = '';
    while (rest !== '') {
      if (this.fastText) {
        const end = rest.indexOf('<');
        const text = end < 0 ? rest : rest.slice(0, end);
        if (BASE64_TEXT.test(text)) {
          this.appendContent(text);
          this.bypassed += text.length;
          this.lastEventAt = this.bypassed + this.fedToSaxes;
          if (end < 0) return;
          rest = rest.slice(end);
        }
        this.fastText = false;
      }
      const at = rest.indexOf(CONTENT_START);
      if (at < 0) {
        const keep = partialSuffixLength(rest, CONTENT_START); // a start tag cut by the chunk boundary
        this.toSaxes(rest.slice(0, rest.length - keep));
        this.carry = rest.slice(rest.length - keep);
        return;
      }
      this.toSaxes(rest.slice(0, at + CONTENT_START.length));
      rest = rest.slice(at + CONTENT_START.length);
      this.fastText = this.path === CONTENT_PATH && this.contentDepth === this.stack.length && this.file !== null;
    }
  }

  private toSaxes(text: string): void {
    if (text === '') return;
    this.parser.write(text);
    this.fedToSaxes += text.length;
  }

  private touch(): void {
    // `parser.position` counts what saxes saw (exact inside handlers only); add what bypassed it.
    this.lastEventAt = this.bypassed + this.parser.position;
  }

  private appendContent(text: string): void {
    if (this.file && this.budget(text.length)) this.file.parts.push(text);
  }

  private onOpen(name: string): void {
    this.touch();
    if (this.stack.length === 0) {
      if (name !== ROOT) throw new XmlReadError(`the root element is <${name.slice(0, 40)}>, expected <${ROOT}>`);
      this.sawRoot = true;
    }
    this.stack.push(name);
    if (this.stack.length > MAX_ELEMENT_DEPTH) throw new XmlReadError(`elements are nested deeper than ${MAX_ELEMENT_DEPTH} levels`);
    if (this.contentDepth >= 0) {
      this.nested(`<${name}>`);
      return;
    }
    this.path = this.stack.join('/');
    this.leaf = '';
    switch (this.path) {
      case HOSO_PATH:
        this.checkFacility();
        this.hosoSeen += 1;
        this.hoso = { ordinal: this.hosoSeen, files: [], problems: [], bytes: 0 };
        break;
      case FILE_PATH:
        this.file = { table: '', parts: [], nested: null, nestedBytes: 0, problem: null };
        break;
      case CONTENT_PATH:
        this.contentDepth = this.stack.length;
        break;
      default:
        break;
    }
  }

  private onClose(name: string): void {
    this.touch();
    if (this.contentDepth >= 0 && this.stack.length > this.contentDepth) {
      this.nested(`</${name}>`);
      this.stack.pop();
      return;
    }
    switch (this.path) {
      case FACILITY_PATH:
        this.facilityCode = this.leaf.trim();
        break;
      case COUNT_PATH:
        this.declaredCount = /^\d{1,9}$/.test(this.leaf.trim()) ? Number(this.leaf.trim()) : null;
        break;
      case TABLE_PATH:
        if (this.file) this.file.table = this.leaf.trim().toUpperCase();
        break;
      case CONTENT_PATH:
        this.contentDepth = -1;
        break;
      case FILE_PATH:
        this.endFile();
        break;
      case HOSO_PATH:
        this.endHoso();
        break;
      default:
        break;
    }
    this.stack.pop();
    this.path = this.stack.join('/');
    this.leaf = '';
  }

  private onText(text: string): void {
    this.touch();
    if (this.contentDepth >= 0 && this.stack.length > this.contentDepth) {
      this.nested(escapeText(text));
      return;
    }
    if (this.path === CONTENT_PATH) {
      this.appendContent(text);
      return;
    }
    // Text anywhere else in the envelope (e.g. the signature in CHUKYDONVI) is not needed.
    if (this.path === FACILITY_PATH || this.path === COUNT_PATH || this.path === TABLE_PATH) {
      this.leaf += text;
      if (this.leaf.length > 64) throw new XmlReadError(`<${this.stack[this.stack.length - 1] ?? ''}> is longer than 64 characters`);
    }
  }

  /** Counts characters against the HOSO budget; false once the HOSO is over it (contents dropped). */
  private budget(length: number): boolean {
    const hoso = this.hoso;
    if (!hoso) return false;
    hoso.bytes += length;
    if (hoso.bytes <= this.options.limits.maxHosoBytes) return true;
    if (hoso.problems.length === 0) {
      hoso.problems.push(`the HOSO is larger than the limit of ${this.options.limits.maxHosoBytes} characters`);
      hoso.files.length = 0;
      if (this.file) {
        this.file.parts.length = 0;
        this.file.nested = null;
      }
    }
    return false;
  }

  private nested(markup: string): void {
    const file = this.file;
    if (!file || file.problem !== null || !this.budget(markup.length)) return;
    file.nested ??= [];
    file.nestedBytes += markup.length;
    if (file.nestedBytes > this.options.limits.maxInnerDocumentBytes) {
      file.problem = `the inner document is larger than the limit of ${this.options.limits.maxInnerDocumentBytes} bytes`;
      file.nested = null;
      return;
    }
    file.nested.push(markup);
  }

  private endFile(): void {
    const file = this.file;
    this.file = null;
    if (!file || !this.hoso || this.hoso.problems.length > 0) return;
    let content: NoiDungFile | null = null;
    if (file.nested !== null) content = { kind: 'nested', xml: file.nested.join('') };
    else if (file.parts.length > 0) content = { kind: 'text', text: file.parts.join('') };
    this.hoso.files.push({ table: file.table, content, problem: file.problem });
  }

  private endHoso(): void {
    const hoso = this.hoso;
    this.hoso = null;
    if (hoso) this.options.onHoso({ ordinal: hoso.ordinal, files: hoso.files, problems: hoso.problems });
  }

  private checkFacility(): void {
    const expected = this.options.expectedFacilityCode;
    if (expected === undefined || this.hosoSeen > 0) return;
    if (this.facilityCode === null || this.facilityCode === '') {
      throw new XmlReadError('THONGTINDONVI/MACSKCB is missing, so the file cannot be attributed to this facility');
    }
    if (this.facilityCode !== expected) {
      throw new XmlReadError(`THONGTINDONVI/MACSKCB is ${this.facilityCode.slice(0, 10)}, not this facility (${expected})`);
    }
  }
}

/** Length of the longest end of `text` that is a proper beginning of `pattern`. */
function partialSuffixLength(text: string, pattern: string): number {
  for (let length = Math.min(pattern.length - 1, text.length); length > 0; length -= 1) {
    if (text.endsWith(pattern.slice(0, length))) return length;
  }
  return 0;
}

/** Text re-serialised into a nested inner document: escaped so it parses back to itself. */
function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
