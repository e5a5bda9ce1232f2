import type { IncomingMessage } from 'node:http';

export type RawRequestBody = { readonly kind: 'read'; readonly bytes: Buffer } | { readonly kind: 'too-large' };

/**
 * Reads a request body as bytes, refusing anything over `limitBytes` without buffering it. Bytes,
 * not parsed JSON: a request signature covers the exact bytes sent, so they are checked first.
 *
 * Over the limit it stops listening but does not destroy the stream: destroying it resets the
 * connection while the client is still sending, so the client sees ECONNRESET instead of the 413.
 * Node's HTTP server discards the rest of the body once the response has been sent.
 */
export function readRequestBody(request: IncomingMessage, limitBytes: number): Promise<RawRequestBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (): void => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limitBytes) {
        stop();
        request.resume(); // keep discarding what is still on its way
        resolve({ kind: 'too-large' });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      stop();
      resolve({ kind: 'read', bytes: Buffer.concat(chunks, size) });
    };
    const onError = (error: Error): void => {
      stop();
      reject(error);
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
  });
}
