import type { IncomingMessage } from 'node:http';

export type RequestBody =
  | { readonly kind: 'empty' }
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'too-large' }
  | { readonly kind: 'malformed'; readonly reason: string };

/** Reads and parses a JSON request body, refusing anything over `limitBytes` without buffering it. */
export async function readRequestBody(request: IncomingMessage, limitBytes: number): Promise<RequestBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limitBytes) {
      request.resume();
      return { kind: 'too-large' };
    }
    chunks.push(buffer);
  }
  if (size === 0) return { kind: 'empty' };
  const contentType = request.headers['content-type'] ?? '';
  if (!/^application\/(graphql-response\+)?json\b/i.test(contentType) && !/^application\/json/i.test(contentType)) {
    return { kind: 'malformed', reason: 'the request body must be application/json' };
  }
  try {
    return { kind: 'json', value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
  } catch {
    return { kind: 'malformed', reason: 'the request body is not valid JSON' };
  }
}
