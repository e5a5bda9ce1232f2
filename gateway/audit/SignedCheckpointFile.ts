import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { silentLogger, type Logger } from '../../core/logging/logger';
import type { AuditCheckpoint, AuditCheckpointStore } from './AuditCheckpoint';
import { canonicalJson } from './canonicalJson';

const FORMAT = 'patient-graph-audit-checkpoint/1';
/** HMAC-SHA256 keys shorter than this are refused (NIST SP 800-107: at least the output's strength). */
export const MIN_CHECKPOINT_KEY_BYTES = 32;

export interface SignedCheckpointFileOptions {
  /** The state directory of this replica (created 0700). */
  readonly dir: string;
  /** Names this replica's file (`audit-checkpoint-<replica>.json`): one file per replica. */
  readonly replica: string;
  /** The audit store the checkpoint is about (e.g. `redis://host:6379 prefix patient-graph:audit:`): a checkpoint of another store is refused. */
  readonly log: string;
  /** HMAC key (at least 32 bytes), from the config; never logged. */
  readonly key: string;
  /**
   * The key being rotated out (docs/audit.md "Rotating the checkpoint key"): a checkpoint signed
   * with it is accepted by the first load and re-signed with `key` at once, so the next start
   * needs `key` only. Never logged.
   */
  readonly previousKey?: string;
  readonly logger?: Logger;
}

/**
 * A replica's audit checkpoint in a small file of its own (docs/audit.md): JSON holding the head
 * (seq, hash), the generation, the store it describes and an HMAC-SHA256 over them with a key from
 * the config, so an edited or swapped file is noticed. Written atomically — a temporary file,
 * fdatasync, rename over the old one, fsync of the directory — so a crash leaves the old
 * checkpoint or the new one, never a torn one. Writes run behind the appends, one at a time,
 * always the newest.
 */
export class SignedCheckpointFile implements AuditCheckpointStore {
  readonly path: string;
  private readonly logger: Logger;
  private pending: AuditCheckpoint | null = null;
  private writing: Promise<void> | null = null;
  /** The previous key verifies one load only: the one that re-signs the file with the new key. */
  private previousKeyUsed = false;

  constructor(private readonly options: SignedCheckpointFileOptions) {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(options.replica)) throw new Error('SignedCheckpointFile: replica must be 1–64 letters, digits, ".", "_" or "-"');
    if (Buffer.byteLength(options.key, 'utf8') < MIN_CHECKPOINT_KEY_BYTES) throw new Error(`SignedCheckpointFile: the key must be at least ${MIN_CHECKPOINT_KEY_BYTES} bytes`);
    if (options.previousKey !== undefined && Buffer.byteLength(options.previousKey, 'utf8') < MIN_CHECKPOINT_KEY_BYTES) throw new Error(`SignedCheckpointFile: the previous key must be at least ${MIN_CHECKPOINT_KEY_BYTES} bytes`);
    if (options.previousKey === options.key) throw new Error('SignedCheckpointFile: the previous key is the key itself');
    this.path = join(options.dir, `audit-checkpoint-${options.replica}.json`);
    this.logger = options.logger ?? silentLogger;
  }

  async load(): Promise<AuditCheckpoint | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT') return null;
      throw error;
    }
    const problem = (why: string): Error => new Error(`the audit checkpoint ${this.path} ${why}; refusing to start (docs/audit.md: find out who changed it, then move it aside)`);
    let stored: StoredCheckpoint;
    try {
      stored = JSON.parse(text) as StoredCheckpoint;
    } catch {
      throw problem('is not JSON');
    }
    const { mac, ...payload } = stored;
    const signedWith = typeof mac === 'string' ? this.keyThatSigned(payload, mac) : null;
    if (signedWith === null) throw problem('fails its signature (edited, or signed with another key)');
    const { format, log, seq, hash, generation } = payload;
    if (format !== FORMAT || typeof seq !== 'number' || !Number.isInteger(seq) || seq < 0 || typeof hash !== 'string' || typeof generation !== 'string') throw problem('is not a checkpoint');
    if (log !== this.options.log) throw problem(`describes another audit store (${String(log)})`);
    const checkpoint: AuditCheckpoint = { head: { seq, hash }, generation };
    if (signedWith === 'previous') {
      // Re-signed before anything else may run, so the rotated key is not needed again.
      this.previousKeyUsed = true;
      await this.write(checkpoint);
      this.logger.warn('audit.checkpoint.rekeyed', { path: this.path, seq, note: 'signed with audit.checkpoint.previousKey, re-signed with key; remove previousKey from the config' });
    }
    return checkpoint;
  }

  save(checkpoint: AuditCheckpoint): void {
    this.pending = checkpoint;
    this.writing ??= this.drain();
  }

  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    try {
      for (let next = this.pending; next !== null; next = this.pending) {
        this.pending = null;
        await this.write(next).catch((error: unknown) => {
          // The audit record itself is durable; a checkpoint not written only delays detection.
          this.logger.error('audit.checkpoint.write_failed', { path: this.path, reason: error instanceof Error ? error.message : String(error) });
        });
      }
    } finally {
      this.writing = null;
    }
  }

  private async write(checkpoint: AuditCheckpoint): Promise<void> {
    const payload: CheckpointPayload = { format: FORMAT, log: this.options.log, seq: checkpoint.head.seq, hash: checkpoint.head.hash, generation: checkpoint.generation };
    const text = `${JSON.stringify({ ...payload, mac: this.mac(payload) })}\n`;
    const dir = dirname(this.path);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const temporary = `${this.path}.${process.pid}.tmp`;
    const file = await open(temporary, 'w', 0o600);
    try {
      await file.writeFile(text, 'utf8');
      await file.datasync();
    } finally {
      await file.close();
    }
    await rename(temporary, this.path);
    const directory = await open(dir, 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
  }

  private mac(payload: CheckpointPayload, key = this.options.key): string {
    return createHmac('sha256', key).update(canonicalJson(payload)).digest('hex');
  }

  /** Which configured key signed the payload: the key, the previous key (once), or neither. */
  private keyThatSigned(payload: Partial<CheckpointPayload>, mac: string): 'current' | 'previous' | null {
    if (this.macMatches(payload, mac, this.options.key)) return 'current';
    const previous = this.options.previousKey;
    return previous !== undefined && !this.previousKeyUsed && this.macMatches(payload, mac, previous) ? 'previous' : null;
  }

  private macMatches(payload: Partial<CheckpointPayload>, mac: string, key: string): boolean {
    let expected: Buffer;
    try {
      expected = Buffer.from(this.mac(payload as CheckpointPayload, key), 'hex');
    } catch {
      return false; // not canonicalizable: not ours
    }
    const given = Buffer.from(mac, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

interface CheckpointPayload {
  readonly format: string;
  readonly log: string;
  readonly seq: number;
  readonly hash: string;
  readonly generation: string;
}

type StoredCheckpoint = Partial<CheckpointPayload> & { readonly mac?: unknown };
