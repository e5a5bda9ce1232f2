import { SourceCallError } from './SourceCallError';

/**
 * Reads a response body up to `maxBytes`, stopping (and destroying the stream) as soon as it grows
 * past the cap, so a source that sends too much costs at most `maxBytes` of memory. A declared
 * `content-length` above the cap is refused before reading anything.
 */
export async function readCappedBody(
  body: AsyncIterable<Buffer | Uint8Array> & { destroy(error?: Error): unknown },
  declaredLength: string | string[] | undefined,
  maxBytes: number,
): Promise<string> {
  const declared = typeof declaredLength === 'string' ? Number(declaredLength) : Number.NaN;
  if (Number.isFinite(declared) && declared > maxBytes) {
    body.destroy();
    throw tooLarge(maxBytes);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      body.destroy();
      throw tooLarge(maxBytes);
    }
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  }
  return chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks, total).toString('utf8');
}

function tooLarge(maxBytes: number): SourceCallError {
  return new SourceCallError('too-large', `the answer is larger than ${maxBytes} bytes`);
}
