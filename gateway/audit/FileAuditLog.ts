import { access, mkdir, open, readFile, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ERROR_CODES } from '../../core/errors/errorCodes';
import { PatientGraphError } from '../../core/errors/PatientGraphError';
import { AppendQueue } from './AppendQueue';
import { AuditChainVerifier } from './AuditChainVerifier';
import type { AuditCheckpointStore } from './AuditCheckpoint';
import type { AuditEntry } from './AuditEntry';
import type { AuditGapAcknowledgement, AuditLog, AuditLogFilter, AuditVerification, PendingAuditGap } from './AuditLog';
import { EMPTY_CHAIN_HEAD, type AuditChainHead, type AuditRecord } from './AuditRecord';
import { canonicalJson } from './canonicalJson';
import { chainAuditRecord } from './chainAuditRecord';
import { assertAuditLogFilter } from './matchesAuditFilter';
import { normalizeAuditEntry } from './normalizeAuditEntry';
import { parseAuditRecord } from './parseAuditRecord';
import { readAuditFileLines } from './readAuditFileLines';
import { gapAcknowledgementEntry } from './gapAcknowledgementEntry';
import { pendingGapVerification } from './pendingGapVerification';
import { collectAuditRecords, type StoredAuditRecord } from './collectAuditRecords';

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
 *
 * Loss is noticed, not papered over (docs/audit.md): before each group commit the writer checks
 * that the path still names the file it opened and that the file still holds every byte it wrote.
 * A file deleted, replaced or cut short under the gateway would otherwise swallow every later
 * record (writes to an unlinked file land nowhere). Then the log writes a gap marker next to the
 * file (`<path>.gap`) and refuses every append until an operator runs `audit acknowledge-gap`,
 * which writes the loss into the file as its own chained record; the writer then takes up the
 * file as it is.
 */
export class FileAuditLog implements AuditLog {
  /** Paths open for appending in this process: a second writer would fork the chain. */
  private static readonly writers = new Set<string>();

  private readonly queue = new AppendQueue<AuditEntry, AuditRecord>((entries) => this.commit(entries));
  private failure: PatientGraphError | undefined;
  /** Set while lost records await acknowledgement (the marker file exists). */
  private lost = false;
  private closed = false;
  /** The file the handle writes to (device and inode), to notice it being replaced or deleted. */
  private identity: { readonly dev: number; readonly ino: number } | undefined;
  private takingUp: Promise<boolean> | undefined;
  /** This writer's checkpoint across restarts (docs/audit.md), when configured. */
  private checkpoint: AuditCheckpointStore | undefined;

  private constructor(
    readonly path: string,
    /** Null when opened read-only. */
    private handle: FileHandle | null,
    private head: AuditChainHead,
    /** Bytes known to be complete and fsynced; reads stop there. */
    private committedBytes: number | undefined,
  ) {}

  /** The marker a writer leaves next to the log when it noticed lost records. */
  static gapMarkerPath(path: string): string {
    return `${path}.gap`;
  }

  /**
   * Opens the log for appending, creating it (and its directory) when missing. With `checkpoint`
   * (the head this gateway wrote before it stopped, in a signed file), a file that no longer holds
   * that record — replaced, emptied, cut short while the gateway was down — is a loss: the marker
   * is written and appends are refused until `audit acknowledge-gap`, unless the file already
   * holds the record that acknowledges exactly that loss.
   */
  static async open(path: string = DEFAULT_AUDIT_FILE, options: { readonly checkpoint?: AuditCheckpointStore } = {}): Promise<FileAuditLog> {
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
      const log = new FileAuditLog(absolute, handle, verifier.verifiedHead(), size);
      const info = await handle.stat();
      log.identity = { dev: info.dev, ino: info.ino };
      // A loss noticed before a restart still awaits its acknowledgement.
      log.lost = (await readGapMarker(absolute)) !== null;
      log.checkpoint = options.checkpoint;
      const saved = log.lost ? null : await options.checkpoint?.load();
      if (saved && saved.head.seq > 0 && !(await holdsRecord(absolute, size, saved.head)) && !acknowledges(verdict, saved.head)) {
        log.lost = true;
        const marker: PendingAuditGap = { expected: saved.head, found: log.head, detectedAt: new Date().toISOString() };
        await writeFile(FileAuditLog.gapMarkerPath(absolute), `${JSON.stringify(marker)}\n`, { flag: 'wx', mode: 0o600 }).catch(() => undefined);
      }
      if (!log.lost) options.checkpoint?.save({ head: log.head, generation: '' });
      return log;
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
      // A file lost under a gateway is still a place to verify and acknowledge the loss.
      if ((await readGapMarker(absolute)) === null) throw new Error(`no audit log at ${absolute}`, { cause });
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

  async checkAvailable(): Promise<void> {
    if (!this.handle) return;
    if (this.closed) throw unavailable(new Error(`the audit log ${this.path} is closed`));
    if (this.lost && !(await this.takeUpAcknowledgedFile())) throw unavailable(new Error('audit records were lost; waiting for audit acknowledge-gap'));
    if (this.failure) throw this.failure;
  }

  async pendingGap(): Promise<PendingAuditGap | null> {
    return readGapMarker(this.path);
  }

  /**
   * Writes the pending loss into the log as its own record, chained onto what the file holds now
   * (verified first), then removes the marker. Run by the operator's command, a process of its own,
   * while the gateway that noticed the loss refuses to write.
   */
  async acknowledgeGap(acknowledgement: AuditGapAcknowledgement): Promise<AuditRecord | null> {
    const pending = await readGapMarker(this.path);
    if (!pending) return null;
    const exists = await access(this.path).then(() => true, () => false);
    const verifier = exists ? await verifyFile(this.path, undefined) : new AuditChainVerifier();
    const verdict = verifier.result();
    if (verdict.kind === 'broken') throw new Error(`the audit log ${this.path} is broken at record #${verdict.seq}: ${verdict.reason}; move it aside first`);
    const record = chainAuditRecord(gapAcknowledgementEntry({ reason: acknowledgement.reason, expected: pending.expected, found: pending.found }, acknowledgement), verifier.verifiedHead());
    const handle = await open(this.path, 'a', 0o600);
    try {
      await writeAll(handle, Buffer.from(`${canonicalJson(record)}\n`, 'utf8'));
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rm(FileAuditLog.gapMarkerPath(this.path), { force: true });
    return record;
  }

  async read(filter: AuditLogFilter = {}): Promise<AuditRecord[]> {
    assertAuditLogFilter(filter);
    return collectAuditRecords(this.storedLines(), filter, (line, problem) => new Error(`the audit log ${this.path} cannot be read: line ${line} ${problem} (run patient-graph audit verify)`));
  }

  /** The committed lines, numbered from 1; a last line without its newline is cut off. */
  private async *storedLines(): AsyncGenerator<StoredAuditRecord> {
    let lineNumber = 0;
    for await (const line of readAuditFileLines(this.path, this.committedBytes)) {
      lineNumber++;
      yield { where: String(lineNumber), parsed: line.terminated ? parseAuditRecord(line.text) : { kind: 'invalid', problem: 'is cut off' } };
    }
  }

  async verify(): Promise<AuditVerification> {
    const pending = await readGapMarker(this.path);
    if (pending) return pendingGapVerification(pending, 'file');
    // A writer knows where its chain ends, which also shows records cut from the end of the file.
    const anchor = this.handle ? this.head : undefined;
    const verifier = await verifyFile(this.path, this.committedBytes);
    return verifier.result(anchor);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.idle();
    await this.checkpoint?.flush();
    if (this.handle) {
      FileAuditLog.writers.delete(this.path);
      await this.handle.close();
    }
  }

  private async commit(entries: readonly AuditEntry[]): Promise<AuditRecord[]> {
    if (this.lost && !(await this.takeUpAcknowledgedFile())) throw unavailable(new Error('audit records were lost; waiting for audit acknowledge-gap'));
    if (this.failure) throw this.failure;
    await this.checkFileStillHeld();
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
    this.checkpoint?.save({ head: this.head, generation: '' });
    return records;
  }

  /** The path must still name the file this writer opened, holding every byte it wrote. */
  private async checkFileStillHeld(): Promise<void> {
    if (this.head.seq === 0 || !this.identity) return;
    let found: AuditChainHead = EMPTY_CHAIN_HEAD;
    try {
      const info = await stat(this.path);
      if (info.dev === this.identity.dev && info.ino === this.identity.ino && info.size >= (this.committedBytes ?? 0)) return;
      found = (await verifyFile(this.path, undefined)).verifiedHead();
    } catch {
      // Gone: nothing is held.
    }
    this.lost = true;
    const marker: PendingAuditGap = { expected: this.head, found, detectedAt: new Date().toISOString() };
    await writeFile(FileAuditLog.gapMarkerPath(this.path), `${JSON.stringify(marker)}\n`, { flag: 'wx', mode: 0o600 }).catch(() => undefined);
    throw unavailable(new Error(`audit records were lost: ${this.path} no longer holds record #${this.head.seq}`));
  }

  /**
   * Once the operator acknowledged the loss (the marker is gone), writes go on in the file that is
   * at the path now, after verifying it: its head becomes this writer's checkpoint.
   */
  private takeUpAcknowledgedFile(): Promise<boolean> {
    // Requests and the commit may all ask at once: one attempt at a time.
    this.takingUp ??= this.tryTakeUp().finally(() => {
      this.takingUp = undefined;
    });
    return this.takingUp;
  }

  private async tryTakeUp(): Promise<boolean> {
    if (!this.lost) return true;
    if ((await readGapMarker(this.path)) !== null) return false;
    const handle = await open(this.path, 'a', 0o600);
    try {
      const info = await handle.stat();
      const verifier = await verifyFile(this.path, info.size);
      const verdict = verifier.result();
      if (verdict.kind === 'broken') throw new Error(`the audit log ${this.path} is broken at record #${verdict.seq}: ${verdict.reason}`);
      await this.handle?.close();
      this.handle = handle;
      this.identity = { dev: info.dev, ino: info.ino };
      this.head = verifier.verifiedHead();
      this.committedBytes = info.size;
      this.failure = undefined;
      this.lost = false;
      this.checkpoint?.save({ head: this.head, generation: '' });
      return true;
    } catch (error) {
      await handle.close();
      throw unavailable(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

async function readGapMarker(path: string): Promise<PendingAuditGap | null> {
  let text: string;
  try {
    text = await readFile(FileAuditLog.gapMarkerPath(path), 'utf8');
  } catch {
    return null;
  }
  try {
    const value = JSON.parse(text) as PendingAuditGap;
    return { expected: { seq: Number(value.expected.seq), hash: String(value.expected.hash) }, found: { seq: Number(value.found.seq), hash: String(value.found.hash) }, detectedAt: String(value.detectedAt) };
  } catch {
    // An unreadable marker still means a loss was noticed: it cannot be cleared by being garbled.
    return { expected: { seq: 1, hash: EMPTY_CHAIN_HEAD.hash }, found: EMPTY_CHAIN_HEAD, detectedAt: 'unknown' };
  }
}

/** Whether the first `byteLength` bytes of a verified log hold record `head.seq` with `head.hash`. */
async function holdsRecord(path: string, byteLength: number, head: AuditChainHead): Promise<boolean> {
  let seq = 0;
  for await (const line of readAuditFileLines(path, byteLength)) {
    if (++seq < head.seq) continue;
    const parsed = line.terminated ? parseAuditRecord(line.text) : null;
    return parsed?.kind === 'record' && parsed.record.hash === head.hash;
  }
  return false;
}

/** Whether the log holds the record that acknowledged the loss of exactly this checkpoint. */
function acknowledges(verdict: AuditVerification, head: AuditChainHead): boolean {
  return verdict.kind === 'intact' && (verdict.gaps ?? []).some((report) => report.gap.expected.seq === head.seq && report.gap.expected.hash === head.hash);
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
