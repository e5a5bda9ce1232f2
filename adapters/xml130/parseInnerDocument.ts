import { createSafeXmlParser, XmlReadError } from './createSafeXmlParser';
import type { InnerDocument } from './InnerDocument';
import { InnerTableCollector } from './InnerTableCollector';
import { MAX_ELEMENT_DEPTH } from './Xml130Limits';
import type { TableShape } from './xml130Tables';

/** An inner document read, or why not. */
export type InnerDocumentResult =
  | { readonly kind: 'parsed'; readonly document: InnerDocument }
  | { readonly kind: 'invalid'; readonly reason: string };

/**
 * Parses one inner table document (already decoded text, bounded by the inner-document limit)
 * with the hardened parser: no DOCTYPE, well-formed, the table's root, text nodes within
 * `maxTextBytes`.
 */
export function parseInnerDocument(xml: string, shape: TableShape, maxTextBytes: number): InnerDocumentResult {
  const collector = new InnerTableCollector(shape, maxTextBytes);
  const parser = createSafeXmlParser();
  let depth = 0;
  parser.on('opentag', (tag) => {
    depth += 1;
    if (depth > MAX_ELEMENT_DEPTH) throw new XmlReadError(`elements are nested deeper than ${MAX_ELEMENT_DEPTH} levels`);
    collector.open(tag.name);
  });
  parser.on('closetag', () => {
    depth -= 1;
    collector.close();
  });
  parser.on('text', (text) => collector.text(text));
  parser.on('cdata', (text) => collector.text(text));
  try {
    parser.write(xml).close();
    return { kind: 'parsed', document: collector.result() };
  } catch (error) {
    if (error instanceof XmlReadError) return { kind: 'invalid', reason: error.message };
    throw error;
  }
}
