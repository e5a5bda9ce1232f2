import { TextDecoder } from 'node:util';
import { parseInnerDocument, type InnerDocumentResult } from './parseInnerDocument';
import type { Xml130Limits } from './Xml130Limits';
import type { TableShape } from './xml130Tables';

/**
 * What a FILEHOSO's NOIDUNGFILE held, as the envelope parser saw it: its text (normally Base64,
 * possibly XML written as text or CDATA), or child elements (plain nested XML, re-serialised).
 */
export type NoiDungFile =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'nested'; readonly xml: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes and parses one NOIDUNGFILE (docs/standards.md §2.1): Base64 of the UTF-8 bytes of an
 * inner XML document, declaration included. Also accepted, since some software writes them: plain
 * nested XML, and XML written as (escaped or CDATA) text. The bytes must be UTF-8 (§2.1); the
 * encoding the inner declaration names is not trusted, as some writers declare utf-16 over UTF-8.
 */
export function decodeNoiDungFile(content: NoiDungFile, shape: TableShape, limits: Xml130Limits): InnerDocumentResult {
  if (content.kind === 'nested') return parseInnerDocument(content.xml, shape, limits.maxTextBytes);
  const text = content.text.trim();
  if (text === '') return invalid('NOIDUNGFILE is empty');
  if (text.startsWith('<')) {
    if (text.length > limits.maxInnerDocumentBytes) return tooLarge(limits);
    return parseInnerDocument(text, shape, limits.maxTextBytes);
  }
  const base64 = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || base64.length % 4 === 1 || (base64.includes('=') && base64.length % 4 !== 0)) {
    return invalid('NOIDUNGFILE is not valid Base64');
  }
  if (Math.floor((base64.length * 3) / 4) - 2 > limits.maxInnerDocumentBytes) return tooLarge(limits);
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length > limits.maxInnerDocumentBytes) return tooLarge(limits);
  let xml: string;
  try {
    xml = utf8.decode(bytes); // a UTF-8 byte-order mark is dropped
  } catch {
    return invalid('the Base64 content of NOIDUNGFILE is not UTF-8 text');
  }
  return parseInnerDocument(xml, shape, limits.maxTextBytes);
}

function invalid(reason: string): InnerDocumentResult {
  return { kind: 'invalid', reason };
}

function tooLarge(limits: Xml130Limits): InnerDocumentResult {
  return invalid(`the inner document is larger than the limit of ${limits.maxInnerDocumentBytes} bytes`);
}
