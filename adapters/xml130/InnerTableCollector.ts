import { XmlReadError } from './createSafeXmlParser';
import type { InnerDocument, Xml130Row } from './InnerDocument';
import { detached } from './internText';
import type { TableShape } from './xml130Tables';

/**
 * Turns the element events of one inner table document into its records (docs/standards.md §2.2):
 * the root must be one the table allows (QĐ 130 or 4210 form); every `recordTag` element is a
 * record and its child elements are the fields. Anything else (signatures, unknown wrappers,
 * elements nested inside a field) is ignored. Violations throw `XmlReadError` with the reason.
 */
export class InnerTableCollector {
  private depth = 0;
  private root: string | null = null;
  private readonly rows: Xml130Row[] = [];
  private record: Map<string, string> | null = null;
  private recordDepth = -1;
  private field: string | null = null;
  private value = '';

  constructor(
    private readonly shape: TableShape,
    private readonly maxTextBytes: number,
  ) {}

  open(name: string): void {
    if (this.depth === 0) {
      if (this.root !== null) throw new XmlReadError('more than one root element');
      if (!this.shape.roots.includes(name)) {
        throw new XmlReadError(`the ${this.shape.table} document root is <${shorten(name)}>, expected <${this.shape.roots.join('> or <')}>`);
      }
      this.root = name;
    }
    this.depth += 1;
    if (this.record === null && name === this.shape.recordTag) {
      this.record = new Map();
      this.recordDepth = this.depth;
    } else if (this.record !== null && this.depth === this.recordDepth + 1) {
      this.field = name;
      this.value = '';
    }
  }

  text(text: string): void {
    if (this.field === null || this.depth !== this.recordDepth + 1) return;
    this.value += text;
    if (this.value.length > this.maxTextBytes) {
      throw new XmlReadError(`${this.shape.table} field ${shorten(this.field)} is longer than ${this.maxTextBytes} characters`);
    }
  }

  close(): void {
    if (this.record !== null && this.field !== null && this.depth === this.recordDepth + 1) {
      // A field given twice keeps its first value.
      if (!this.record.has(this.field)) this.record.set(this.field, detached(this.value.trim()));
      this.field = null;
    } else if (this.record !== null && this.depth === this.recordDepth) {
      this.rows.push(this.record);
      this.record = null;
    }
    this.depth -= 1;
  }

  result(): InnerDocument {
    if (this.root === null) throw new XmlReadError(`the ${this.shape.table} document has no root element`);
    return { root: this.root, rows: this.rows };
  }
}

function shorten(name: string): string {
  return name.length > 40 ? `${name.slice(0, 40)}…` : name;
}
