import { createReadStream } from 'node:fs';
import { TextDecoder } from 'node:util';
import { stat } from 'node:fs/promises';
import { XmlReadError } from './createSafeXmlParser';
import { EnvelopeParser } from './EnvelopeParser';
import { readHoso } from './readHoso';
import type { Xml130Hoso } from './Xml130Hoso';
import type { Xml130Limits } from './Xml130Limits';
import type { Xml130Problem } from './Xml130Problem';
import { inTableOrder } from './xml130Tables';

export interface ReadXml130FileOptions {
  readonly limits: Xml130Limits;
  /** The facility the file must belong to (THONGTINDONVI/MACSKCB, XML1 MA_CSKCB), when known. */
  readonly expectedFacilityCode?: string;
  /** Called with each HOSO read whole, in file order, while the file is being read. */
  readonly onHoso?: (hoso: Xml130Hoso) => void;
  /**
   * Called with each chunk of the file once the parser has consumed it (so after the `onHoso` of
   * every HOSO it closed), and awaited before the next chunk is read: a caller can hash the bytes
   * and write what was read so far, holding no more than one chunk's HOSO.
   */
  readonly onChunk?: (chunk: Buffer) => Promise<void> | void;
}

/** What reading one file gave (the HOSO themselves went to `onHoso`). */
export interface Xml130FileSummary {
  readonly path: string;
  readonly bytes: number;
  /** THONGTINDONVI/MACSKCB, when read. */
  readonly facilityCode: string | null;
  /** HOSO read whole. */
  readonly hoso: number;
  /** HOSO rejected for a problem (they contributed nothing). */
  readonly rejected: number;
  /** Inner documents per table (`XML1`…) of the HOSO read whole. */
  readonly tables: Readonly<Record<string, number>>;
  /** The first MAX_LISTED_PROBLEMS problems; `problemCount` has them all. */
  readonly problems: readonly Xml130Problem[];
  readonly problemCount: number;
}

/** Problems listed per file; more are counted only, so a broken file cannot fill memory. */
export const MAX_LISTED_PROBLEMS = 1000;

const CHUNK_BYTES = 64 * 1024;

/**
 * Reads one QĐ 130 claim file HOSO by HOSO, without ever holding the file: it is streamed in
 * 64 KiB chunks through the envelope parser, and each HOSO is decoded, mapped and handed to
 * `onHoso` as soon as it closes. Never throws for what is in the file: an unreadable, oversized,
 * non-UTF-8, non-XML or truncated file is a problem of the file, a broken HOSO one of the HOSO.
 */
export async function readXml130File(path: string, options: ReadXml130FileOptions): Promise<Xml130FileSummary> {
  const problems = new ProblemList();
  const tables: Record<string, number> = {};
  let loaded = 0;
  let rejected = 0;
  const envelope = new EnvelopeParser({
    limits: options.limits,
    ...(options.expectedFacilityCode === undefined ? {} : { expectedFacilityCode: options.expectedFacilityCode }),
    onHoso: (raw) => {
      const outcome = readHoso(raw, options);
      if (outcome.kind === 'rejected') {
        rejected += 1;
        problems.add(...outcome.problems);
        return;
      }
      loaded += 1;
      for (const [table, count] of Object.entries(outcome.hoso.tables)) tables[table] = (tables[table] ?? 0) + count;
      options.onHoso?.(outcome.hoso);
    },
  });
  const bytes = await streamInto(path, envelope, options.limits, problems, options.onChunk);
  // A well-formed GIAMDINHHS without a single HOSO carries no claim: an export gone wrong, or
  // another document under the same root. Either way nobody should take it for "0 visits, all fine".
  if (problems.fileLevel === 0 && envelope.hosoSeen === 0) {
    problems.add({ reason: 'the file holds no HOSO (GIAMDINHHS/THONGTINHOSO/DANHSACHHOSO/HOSO): it is not a QĐ 130 claim file' });
  } else if (problems.fileLevel === 0 && envelope.declaredCount !== null && envelope.declaredCount !== envelope.hosoSeen) {
    problems.add({ reason: `THONGTINHOSO/SOLUONGHOSO declares ${envelope.declaredCount} HOSO, the file has ${envelope.hosoSeen}` });
  }
  return {
    path,
    bytes,
    facilityCode: envelope.facilityCode,
    hoso: loaded,
    rejected,
    tables: inTableOrder(tables),
    problems: problems.listed,
    problemCount: problems.count,
  };
}

/** Feeds the file to the parser; returns the bytes read. File-level failures become problems. */
async function streamInto(path: string, envelope: EnvelopeParser, limits: Xml130Limits, problems: ProblemList, onChunk?: (chunk: Buffer) => Promise<void> | void): Promise<number> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) return problems.file('the path is not a regular file', 0);
    size = info.size;
  } catch (error) {
    return problems.file(`the file could not be read (${codeOf(error)})`, 0);
  }
  if (size > limits.maxFileBytes) return problems.file(`the file is larger than the limit of ${limits.maxFileBytes} bytes`, size);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  let bytes = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > limits.maxFileBytes) return problems.file(`the file is larger than the limit of ${limits.maxFileBytes} bytes`, bytes);
      envelope.write(decode(decoder, chunk));
      try {
        await onChunk?.(chunk);
      } catch (failure) {
        throw new CallerFailure(failure);
      }
    }
    envelope.write(decode(decoder));
    envelope.close();
  } catch (error) {
    if (error instanceof CallerFailure) throw error.failure; // the caller's failure, not the file's
    if (error instanceof XmlReadError) return problems.file(error.message, bytes);
    if (error instanceof NotUtf8) return problems.file('the file is not UTF-8 text (QĐ 130 files are UTF-8)', bytes);
    return problems.file(`the file could not be read (${codeOf(error)})`, bytes);
  } finally {
    stream.destroy();
  }
  return bytes;
}

class NotUtf8 extends Error {}

/** What `onChunk` threw, carried through the stream loop untouched. */
class CallerFailure extends Error {
  constructor(readonly failure: unknown) {
    super('onChunk failed');
  }
}

function decode(decoder: TextDecoder, chunk?: Buffer): string {
  try {
    return chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true });
  } catch {
    throw new NotUtf8();
  }
}

function codeOf(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') return error.code;
  return error instanceof Error ? error.name : 'unknown error';
}

/** Problems of one file: listed up to MAX_LISTED_PROBLEMS, counted always. */
class ProblemList {
  readonly listed: Xml130Problem[] = [];
  count = 0;
  fileLevel = 0;

  add(...problems: readonly Xml130Problem[]): void {
    for (const problem of problems) {
      this.count += 1;
      if (this.listed.length < MAX_LISTED_PROBLEMS) this.listed.push(problem);
    }
  }

  /** Records a problem of the whole file and passes `bytes` through. */
  file(reason: string, bytes: number): number {
    this.fileLevel += 1;
    this.add({ reason });
    return bytes;
  }
}
