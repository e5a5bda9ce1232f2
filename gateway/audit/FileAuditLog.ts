import { access, mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ERROR_CODES } from '../../core/errors/errorCodes';
import { PatientGraphError } from '../../core/errors/PatientGraphError';
import { AppendQueue } from './AppendQueue';
import { AuditChainVerifier } from './AuditChainVerifier';
import type { AuditEntry } from './AuditEntry';
import type { AuditLog, AuditLogFilter, AuditVerification } from './AuditLog';
import { EMPTY_CHAIN_HEAD, type AuditChainHead, type AuditRecord } from './AuditRecord';
import { canonicalJson } from './canonicalJson';
import { chainAuditRecord } from './chainAuditRecord';
import { assertAuditLogFilter, matchesAuditFilter } from './matchesAuditFilter';
import { normalizeAuditEntry } from './normalizeAuditEntry';
import { parseAuditRecord } from './parseAuditRecord';
import { readAuditFileLines } from './readAuditFileLines';

/** Where the embedded gateway (`npm start`) keeps its audit log, relative to the working directory. */
export const DEFAULT_AUDIT_FILE = '.patient-graph/audit.jsonl';

/**
 * The embedded audit log (docs/architecture.md §7): one JSON line per record, in seq order, each line the
 * canonical JSON of the record. An append resolves only after the line is written and the file
 * `datasync`ed, so an acknowledged record survives a crash or power cut. Appends go through an
 * `AppendQueue` (group commit): one writer, one linear chain, one fsync per group.
 *
 * Opening for append verifies the whole file first and refuses a broken one, rather than extend
 * a chain that can no longer prove anything (the same goes for a torn last line after a crash: an
 * operator keeps the file as evidence and starts a new one). After a failed write the log refuses
 * every later append until it is reopened, since the file may end in a partial line.
 *
 * One process writes a file; scaled-out replicas share a `RedisAuditLog` instead. The directory
 * is created 0700 and the file 0600: who looked at which patient is itself sensitive.
 */
export class FileAuditLog implements AuditLog {
  /** Paths open for appending in this process: a second writer would fork the chain. */
  private static readonly writers = new Set<string>();

  private readonly queue = new AppendQueue<AuditEntry, AuditRecord>((entries) => this.commit(entries));
  private failure: PatientGraphError | undefined;
  private closed = false;

  private constructor(
    readonly path: string,
    /** Null when opened read-only. */
    private readonly handle: FileHandle | null,
    private head: AuditChainHead,
    /** Bytes known to be complete and fsynced; reads stop there. */
    private committedBytes: number | undefined,
  ) {}

  /** Opens the log for appending, creating it (and its directory) when missing. */
  static async open(path: string = DEFAULT_AUDIT_FILE): Promise<FileAuditLog> {
    const absolute = resolve(path);
    if (FileAuditLog.writers.has(absolute)) throw new Error(`the audit log ${absolute} is already open for appending in this process`);
    await mkdir(dirname(absolute), { recursive: true, mode: 0o700 });
    // 'a': O_APPEND, so every write lands at the end whatever else happens to the file.
    const handle = await open(absolute, 'a', 0o600);
    try {
      const { size } = await handle.stat();
      const verifier = await verifyFile(absolute, size);
      const verdict = verifier.result();
      if (verdict.kind === 'broken') {
        throw new PatientGraphError(
          'AUDIT_UNAVAILABLE',
          `the audit log ${absolute} is broken at record #${verdict.seq}: ${verdict.reason}. Refusing to extend it; keep it as evidence and move it aside to start a new log.`,
        );
      }
      FileAuditLog.writers.add(absolute);
      return new FileAuditLog(absolute, handle, verifier.verifiedHead(), size);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Opens an existing log to read and verify it (the `audit` commands); it cannot append. */
  static async openReadOnly(path: string = DEFAULT_AUDIT_FILE): Promise<FileAuditLog> {
    const absolute = resolve(path);
    try {
      await access(absolute);
    } catch (cause) {
      throw new Error(`no audit log at ${absolute}`, { cause });
    }
    return new FileAuditLog(absolute, null, EMPTY_CHAIN_HEAD, undefined);
  }

  async append(entry: AuditEntry): Promise<AuditRecord> {
    if (!this.handle) throw new Error(`the audit log ${this.path} was opened read-only`);
    if (this.closed) throw unavailable(new Error(`the audit log ${this.path} is closed`));
    if (this.failure) throw this.failure;
    // Normalized here, so a malformed entry fails alone instead of failing its whole group.
    return this.queue.push(normalizeAuditEntry(entry));
  }

  async read(filter: AuditLogFilter = {}): Promise<AuditRecord[]> {
    assertAuditLogFilter(filter);
    const records: AuditRecord[] = [];
    let lineNumber = 0;
    for await (const line of readAuditFileLines(this.path, this.committedBytes)) {
      lineNumber++;
      const parsed = line.terminated ? parseAuditRecord(line.text) : { kind: 'invalid' as const, problem: 'is cut off' };
      if (parsed.kind === 'invalid') {
        throw new Error(`the audit log ${this.path} cannot be read: line ${lineNumber} ${parsed.problem} (run patient-graph audit verify)`);
      }
      if (!matchesAuditFilter(parsed.record, filter)) continue;
      records.push(parsed.record);
      if (records.length === filter.limit) break;
    }
    return records;
  }

  async verify(): Promise<AuditVerification> {
    // A writer knows where its chain ends, which also shows records cut from the end of the file.
    const anchor = this.handle ? this.head : undefined;
    const verifier = await verifyFile(this.path, this.committedBytes);
    return verifier.result(anchor);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.idle();
    if (this.handle) {
      FileAuditLog.writers.delete(this.path);
      await this.handle.close();
    }
  }

  private async commit(entries: readonly AuditEntry[]): Promise<AuditRecord[]> {
    if (this.failure) throw this.failure;
    const handle = this.handle;
    if (!handle) throw new Error('unreachable: a read-only audit log has nothing to commit');
    let head = this.head;
    const records = entries.map((entry) => {
      const record = chainAuditRecord(entry, head);
      head = record;
      return record;
    });
    const bytes = Buffer.from(records.map((record) => `${canonicalJson(record)}\n`).join(''), 'utf8');
    try {
      await writeAll(handle, bytes);
      await handle.datasync();
    } catch (cause) {
      this.failure = unavailable(new Error(`writing the audit log ${this.path} failed`, { cause }));
      throw this.failure;
    }
    this.head = { seq: head.seq, hash: head.hash };
    this.committedBytes = (this.committedBytes ?? 0) + bytes.length;
    return records;
  }
}

async function verifyFile(path: string, byteLength: number | undefined): Promise<AuditChainVerifier> {
  const verifier = new AuditChainVerifier();
  for await (const line of readAuditFileLines(path, byteLength)) {
    const ok = line.terminated ? verifier.accept(line.text) : verifier.acceptCutOff();
    if (!ok) break;
  }
  return verifier;
}

/** `write` may take fewer bytes than offered; loop until the whole group is in the file. */
async function writeAll(handle: FileHandle, bytes: Buffer): Promise<void> {
  for (let offset = 0; offset < bytes.length; ) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
    offset += bytesWritten;
  }
}

/** The client-facing failure: the registered meaning only; paths and OS errors stay in `cause`. */
function unavailable(cause: Error): PatientGraphError {
  return new PatientGraphError('AUDIT_UNAVAILABLE', ERROR_CODES.AUDIT_UNAVAILABLE.meaning, {}, { cause });
}
