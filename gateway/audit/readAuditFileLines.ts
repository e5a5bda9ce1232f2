import { createReadStream } from 'node:fs';

export interface AuditFileLine {
  readonly text: string;
  /** False for a last piece of text with no line end after it (a cut-off or torn write). */
  readonly terminated: boolean;
}

/**
 * Streams the lines of a JSON-lines audit file, up to `byteLength` bytes when given (a writer
 * reads only what it has fsynced, never a line it is still writing). Lines are split on the byte
 * 0x0A before decoding, so a multi-byte character is never cut in two.
 */
export async function* readAuditFileLines(path: string, byteLength?: number): AsyncGenerator<AuditFileLine> {
  if (byteLength === 0) return;
  const stream = createReadStream(path, byteLength === undefined ? {} : { end: byteLength - 1 });
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const buffer = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    for (let end = buffer.indexOf(0x0a, start); end !== -1; end = buffer.indexOf(0x0a, start)) {
      yield { text: buffer.toString('utf8', start, end), terminated: true };
      start = end + 1;
    }
    rest = buffer.subarray(start);
  }
  if (rest.length > 0) yield { text: rest.toString('utf8'), terminated: false };
}
