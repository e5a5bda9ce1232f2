import { SaxesParser, type SaxesOptions } from 'saxes';

type PlainOptions = SaxesOptions & { readonly xmlns: false };

/** Why a document could not be read; thrown out of the parser's `write` and caught by the reader. */
export class XmlReadError extends Error {
  override readonly name = 'XmlReadError';
}

export const DOCTYPE_REASON =
  'a DOCTYPE declaration is not accepted (QĐ 130 files have none; refusing it rules out external entities and entity expansion)';

/**
 * A saxes parser hardened for untrusted claim files. saxes never fetches or expands DTD entities;
 * on top of that any DOCTYPE is refused outright, so an XXE or "billion laughs" document is
 * rejected before its first element, and a reference to an undefined entity is an error. Every
 * well-formedness error stops the parse (a `XmlReadError` thrown from `write`/`close`): after one,
 * the rest of the structure cannot be trusted.
 */
export function createSafeXmlParser(): SaxesParser<PlainOptions> {
  const parser = new SaxesParser<PlainOptions>({ xmlns: false, position: true });
  parser.on('doctype', () => {
    throw new XmlReadError(DOCTYPE_REASON);
  });
  parser.on('error', (error) => {
    throw new XmlReadError(`not well-formed XML (${error.message})`);
  });
  return parser;
}
