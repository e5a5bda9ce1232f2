import type { IncomingMessage } from 'node:http';

export type RawRequestBody = { readonly kind: 'read'; readonly bytes: Buffer } | { readonly kind: 'too-large' };

/**
 * Reads a request body as bytes, refusing anything over `limitBytes` without buffering it. Bytes,
 * not parsed JSON: a request signature covers the exact bytes sent, so they are checked first.
 */
export async function readRequestBody(request: IncomingMessage, limitBytes: number): Promise<RawRequestBody> {
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
  return { kind: 'read', bytes: Buffer.concat(chunks, size) };
}
