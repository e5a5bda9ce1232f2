export type ParsedBody =
  | { readonly kind: 'empty' }
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'malformed'; readonly reason: string };

/** Parses a GraphQL-over-HTTP POST body: JSON (`application/json` or `application/graphql-response+json`). */
export function parseJsonBody(bytes: Buffer, contentType: string | undefined): ParsedBody {
  if (bytes.length === 0) return { kind: 'empty' };
  if (!/^application\/(graphql-response\+)?json\b/i.test(contentType ?? '')) {
    return { kind: 'malformed', reason: 'the request body must be application/json' };
  }
  try {
    return { kind: 'json', value: JSON.parse(bytes.toString('utf8')) as unknown };
  } catch {
    return { kind: 'malformed', reason: 'the request body is not valid JSON' };
  }
}
