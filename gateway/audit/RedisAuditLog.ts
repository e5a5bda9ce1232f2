import { randomUUID } from 'node:crypto';
import { createRedisConnection, type RedisConnection } from '../../core/redis/createRedisConnection';
import type { RedisConnectionConfig } from '../../core/redis/RedisConnectionConfig';
import { describeRedisConnection, redisConnectionOf } from '../../core/redis/redisConnectionOf';
import { ERROR_CODES } from '../../core/errors/errorCodes';
import { PatientGraphError } from '../../core/errors/PatientGraphError';
import { silentLogger, type Logger } from '../../core/logging/logger';
import { AppendQueue } from './AppendQueue';
import type { AuditCheckpointStore } from './AuditCheckpoint';
import { AuditChainVerifier } from './AuditChainVerifier';
import type { AuditEntry, AuditGap } from './AuditEntry';
import type { AuditGapAcknowledgement, AuditLog, AuditLogFilter, AuditVerification, PendingAuditGap } from './AuditLog';
import { EMPTY_CHAIN_HEAD, type AuditChainHead, type AuditRecord } from './AuditRecord';
import { ACKNOWLEDGE_AUDIT_GAP_SCRIPT, APPEND_AUDIT_RECORDS_SCRIPT, APPEND_AUDIT_RECORDS_SCRIPT_SHA1 } from './appendAuditRecordsScript';
import { gapAcknowledgementEntry } from './gapAcknowledgementEntry';
import { canonicalJson } from './canonicalJson';
import { chainAuditRecord } from './chainAuditRecord';
import { assertAuditLogFilter } from './matchesAuditFilter';
import { normalizeAuditEntry } from './normalizeAuditEntry';
import { parseAuditRecord } from './parseAuditRecord';
import { pendingGapVerification } from './pendingGapVerification';
import { collectAuditRecords, type StoredAuditRecord } from './collectAuditRecords';

export const DEFAULT_REDIS_AUDIT_PREFIX = 'patient-graph:audit:';

export interface RedisAuditLogOptions {
  /** `redis://[user:password@]host:port[/db]`, or a Sentinel or Cluster connection. */
  readonly url: string | RedisConnectionConfig;
  /**
   * Prefix of the keys: `<prefix>stream` (the records), `<prefix>head` (the chain head),
   * `<prefix>gap` (a loss awaiting acknowledgement) and `<prefix>generation`.
   */
  readonly keyPrefix?: string;
  /** How long an append may wait for Redis before it fails with AUDIT_UNAVAILABLE (default 1000 ms). */
  readonly timeoutMs?: number;
  /** Compare-and-set attempts per group when other replicas keep appending first (default 10). */
  readonly maxAttempts?: number;
  readonly logger?: Logger;
  /**
   * Where this replica keeps its checkpoint across restarts (a signed file, docs/audit.md). Without
   * one, a replica restarted after Redis lost its data cannot tell, and starts from what Redis holds.
   */
  readonly checkpoint?: AuditCheckpointStore;
}

/** Stream entries fetched per XRANGE call when reading or verifying. */
const PAGE_SIZE = 500;

/**
 * The shared audit log of scaled-out gateway replicas (docs/architecture.md §7): a Redis stream whose entry
 * ids are the records' seq (`<seq>-0`, so Redis itself keeps them ordered and unique), plus a key
 * holding the chain head. Every append is a compare-and-set script (`appendAuditRecordsScript`),
 * so any number of replicas keep one linear chain.
 *
 * It fails fast, because a request waits on it: no offline queue, no resending, a short connect
 * and command timeout, so an append rejects with AUDIT_UNAVAILABLE within about `timeoutMs` (one
 * to two seconds) while Redis is down, and the gateway returns no data. The client keeps
 * reconnecting in the background (every ≤ 500 ms); the first append after Redis is back chains
 * onto the head stored in Redis, so no gap appears. An append that timed out after Redis executed
 * it leaves a record of an access that was then refused: the log may over-report, never
 * under-report.
 *
 * "Durable" here means acknowledged by Redis; how durable that is depends on its persistence
 * (use `appendonly yes` with `appendfsync always`, or replicas, and `maxmemory-policy noeviction`
 * for audit data).
 *
 * Loss is detected, never papered over (docs/audit.md): each replica keeps its own checkpoint,
 * the head it last wrote or saw. When the log no longer holds that record (Redis restarted empty,
 * flushed, failed over to a replica that lagged), the replica sets the gap marker, and from then
 * on every replica's append is refused (AUDIT_UNAVAILABLE, so no data leaves) until an operator
 * runs `patient-graph audit acknowledge-gap`, which writes the loss into the chain as its own
 * record and starts a new generation; replicas whose checkpoint is gone accept the chain only in a
 * generation they have not seen.
 */
export class RedisAuditLog implements AuditLog {
  private readonly queue = new AppendQueue<AuditEntry, AuditRecord>((entries) => this.commit(entries));
  private readonly streamKey: string;
  private readonly headKey: string;
  private readonly gapKey: string;
  private readonly generationKey: string;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly logger: Logger;
  private readonly checkpoint: AuditCheckpointStore | undefined;
  /**
   * This replica's checkpoint: the head after its last append (or as last seen). The chain must
   * still hold it; it also saves a round trip, as the script corrects a stale guess.
   */
  private head: AuditChainHead = EMPTY_CHAIN_HEAD;
  /** The generation the checkpoint belongs to ('' before any acknowledged gap). */
  private generation = '';
  /** Set once this replica knows of a loss not yet acknowledged. */
  private lost = false;
  private closed = false;
  private outageReported = false;

  private constructor(
    private readonly redis: RedisConnection,
    options: RedisAuditLogOptions,
  ) {
    const keyPrefix = options.keyPrefix ?? DEFAULT_REDIS_AUDIT_PREFIX;
    if (keyPrefix.length === 0) throw new Error('RedisAuditLog: keyPrefix must not be empty');
    this.streamKey = `${keyPrefix}stream`;
    this.headKey = `${keyPrefix}head`;
    this.gapKey = `${keyPrefix}gap`;
    this.generationKey = `${keyPrefix}generation`;
    this.timeoutMs = options.timeoutMs ?? 1000;
    this.maxAttempts = options.maxAttempts ?? 10;
    this.logger = options.logger ?? silentLogger;
    this.checkpoint = options.checkpoint;
    if (!(this.timeoutMs > 0)) throw new Error('RedisAuditLog: timeoutMs must be positive');
    if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1) throw new Error('RedisAuditLog: maxAttempts must be a positive integer');
    redis.on('error', (error: Error) => this.reportOutage(error));
    redis.on('ready', () => this.reportRecovery());
  }

  /** Connects, failing with AUDIT_UNAVAILABLE when Redis cannot be reached within the timeout. */
  static async connect(options: RedisAuditLogOptions): Promise<RedisAuditLog> {
    const timeoutMs = options.timeoutMs ?? 1000;
    const connection = redisConnectionOf(options.url);
    const redis = createRedisConnection(connection, {
      lazyConnect: true,
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 0,
      connectTimeout: timeoutMs,
      commandTimeout: timeoutMs,
      retryStrategy: (attempt) => Math.min(attempt * 100, 500),
      // ioredis arms this timer even for a socket that is already closed (a refused connect):
      // keep it short so a failed connect does not hold the process for the default 2 s.
      disconnectTimeout: 200,
    });
    const log = new RedisAuditLog(redis, options);
    try {
      await redis.connect();
    } catch (cause) {
      redis.disconnect();
      throw new PatientGraphError('AUDIT_UNAVAILABLE', `the audit log in Redis (${describeRedisConnection(connection)}) is not reachable`, {}, { cause });
    }
    try {
      await log.observe();
    } catch (error) {
      redis.disconnect();
      throw error;
    }
    return log;
  }

  async append(entry: AuditEntry): Promise<AuditRecord> {
    if (this.closed) throw unavailable(new Error('the Redis audit log is closed'));
    // Normalized here, so a malformed entry fails alone instead of failing its whole group.
    return this.queue.push(normalizeAuditEntry(entry));
  }

  /**
   * Refuses (AUDIT_UNAVAILABLE) when an append is known to fail: Redis not connected, the log
   * closed, or a loss awaiting acknowledgement. Costs no round trip unless a loss is pending, so
   * the gateway can ask before it fetches anything.
   */
  async checkAvailable(): Promise<void> {
    if (this.closed) throw unavailable(new Error('the Redis audit log is closed'));
    if (this.redis.status !== 'ready') throw unavailable(new Error(`Redis is not reachable (connection ${this.redis.status})`));
    if (this.lost && !(await this.acceptAcknowledgedGap())) throw unavailable(new Error('audit records were lost; waiting for audit acknowledge-gap'));
  }

  async pendingGap(): Promise<PendingAuditGap | null> {
    return parseGapMarker(await this.redis.get(this.gapKey));
  }

  async acknowledgeGap(acknowledgement: AuditGapAcknowledgement): Promise<AuditRecord | null> {
    const markerText = await this.redis.get(this.gapKey);
    const pending = parseGapMarker(markerText);
    if (!pending || markerText === null) return null;
    const [headText, lastId] = await this.snapshot();
    const head = parseHead(headText);
    if (!head) throw new Error('the chain head key is not readable (run patient-graph audit verify)');
    const gap: AuditGap = { reason: acknowledgement.reason, expected: pending.expected, found: pending.found };
    const record = chainAuditRecord(gapAcknowledgementEntry(gap, acknowledgement), head);
    const written = await this.redis.eval(
      ACKNOWLEDGE_AUDIT_GAP_SCRIPT,
      4,
      this.headKey,
      this.streamKey,
      this.gapKey,
      this.generationKey,
      markerText,
      headText ?? '',
      formatHead(record),
      lastId ?? '0-0',
      streamId(record.seq),
      canonicalJson(record),
      randomUUID(),
    );
    if (written !== 1) throw new Error('the audit log changed while the gap was being acknowledged; run the command again');
    return record;
  }

  async read(filter: AuditLogFilter = {}): Promise<AuditRecord[]> {
    assertAuditLogFilter(filter);
    return collectAuditRecords(this.parsedRecords(`${(filter.afterSeq ?? 0) + 1}-0`), filter, (id, problem) => new Error(`the audit stream cannot be read: entry ${id} ${problem} (run patient-graph audit verify)`));
  }

  private async *parsedRecords(start: string): AsyncGenerator<StoredAuditRecord> {
    for await (const { id, text } of this.storedRecords(start, '+')) yield { where: id, parsed: parseAuditRecord(text) };
  }

  async verify(): Promise<AuditVerification> {
    // One atomic look at the head and the stream's last id, so appends running meanwhile can
    // neither look like removed records nor like records written around the head.
    const [headText, lastId] = await this.snapshot();
    const anchor = parseHead(headText);
    if (!anchor) return { kind: 'broken', seq: 1, reason: 'the chain head key is not readable' };
    const pending = await this.pendingGap();
    if (pending) return pendingGapVerification(pending, 'shared log');
    const verifier = new AuditChainVerifier();
    if (lastId !== undefined) {
      for await (const { text } of this.storedRecords('-', lastId)) {
        if (!verifier.accept(text)) break;
      }
    }
    return verifier.result(anchor);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.idle();
    await this.checkpoint?.flush();
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }

  private async commit(entries: readonly AuditEntry[]): Promise<AuditRecord[]> {
    const deadline = Date.now() + this.timeoutMs;
    try {
      await this.whenReady(deadline);
      let head = this.head;
      for (let attempt = 1; ; attempt++) {
        const records = chainOnto(entries, head);
        const outcome = await this.compareAndAppend(head, records);
        switch (outcome.kind) {
          case 'appended':
            this.head = outcome.head;
            this.generation = outcome.generation;
            this.lost = false;
            this.checkpoint?.save({ head: this.head, generation: this.generation });
            return records;
          case 'gap-pending':
            this.lost = true;
            throw new Error('audit records were lost; waiting for audit acknowledge-gap');
          case 'diverged':
            throw new Error('the audit stream and its chain head disagree (run patient-graph audit verify)');
          case 'moved':
            // Another replica appended first, or the log lost what this replica had written.
            if (!(await this.holdsCheckpoint(outcome.head))) {
              if (outcome.generation === '' || outcome.generation === this.generation) await this.reportLoss(outcome.head);
              // A generation this replica has not seen: an operator acknowledged the loss.
              this.logger.warn('audit.redis.gap_accepted', { checkpointSeq: this.head.seq, headSeq: outcome.head.seq });
              this.generation = outcome.generation;
            }
            this.head = outcome.head;
            head = outcome.head;
            break;
        }
        if (attempt >= this.maxAttempts || Date.now() >= deadline) throw new Error(`the chain head kept moving (${attempt} attempts)`);
      }
    } catch (cause) {
      throw unavailable(cause);
    }
  }

  /**
   * Reads the head and generation once, at connect. With a saved checkpoint (this replica before
   * its restart), the log must still hold it, as during a run: if not, and no operator has
   * acknowledged a loss since, records were lost while this replica was down.
   */
  private async observe(): Promise<void> {
    const [headText, generationText] = await this.redis.mget(this.headKey, this.generationKey);
    const found = parseHead(headText ?? null) ?? EMPTY_CHAIN_HEAD;
    const generation = generationText ?? '';
    this.lost = (await this.redis.exists(this.gapKey)) === 1;
    const saved = await this.checkpoint?.load();
    if (saved) {
      this.head = saved.head;
      this.generation = saved.generation;
      if (!this.lost && !(await this.holdsCheckpoint(found))) {
        if (generation === '' || generation === saved.generation) await this.markLoss(found, 'checkpoint');
        else this.logger.warn('audit.redis.gap_accepted', { checkpointSeq: saved.head.seq, headSeq: found.seq });
      }
      if (this.lost) return;
    }
    this.head = found;
    this.generation = generation;
    this.checkpoint?.save({ head: found, generation });
  }

  /** Whether the log still holds this replica's checkpoint (the same record at the same seq). */
  private async holdsCheckpoint(found: AuditChainHead): Promise<boolean> {
    const mine = this.head;
    if (mine.seq === 0) return true;
    if (found.seq < mine.seq) return false;
    const [entry] = await this.redis.xrange(this.streamKey, streamId(mine.seq), streamId(mine.seq));
    if (!entry) return false;
    const parsed = parseAuditRecord(recordField(entry[1]));
    return parsed.kind === 'record' && parsed.record.hash === mine.hash;
  }

  /** Marks the loss for every replica (the first report wins), and refuses. */
  private async reportLoss(found: AuditChainHead): Promise<never> {
    await this.markLoss(found, 'running');
    throw new Error('audit records were lost; waiting for audit acknowledge-gap');
  }

  /** `noticed`: while running, or at start against the checkpoint saved before a restart. */
  private async markLoss(found: AuditChainHead, noticed: 'running' | 'checkpoint'): Promise<void> {
    this.lost = true;
    const marker: PendingAuditGap = { expected: this.head, found, detectedAt: new Date().toISOString() };
    await this.redis.set(this.gapKey, JSON.stringify(marker), 'NX');
    this.logger.error('audit.redis.records_lost', { checkpointSeq: this.head.seq, headSeq: found.seq, noticed });
  }

  /** After an operator acknowledged the loss (marker gone, new generation): take the chain as it is. */
  private async acceptAcknowledgedGap(): Promise<boolean> {
    const [marker, generation, headText] = await this.redis.mget(this.gapKey, this.generationKey, this.headKey);
    const head = parseHead(headText ?? null);
    if (marker !== null || !generation || generation === this.generation || !head) return false;
    this.logger.warn('audit.redis.gap_accepted', { checkpointSeq: this.head.seq, headSeq: head.seq });
    this.head = head;
    this.generation = generation;
    this.lost = false;
    this.checkpoint?.save({ head, generation });
    return true;
  }

  private async compareAndAppend(expected: AuditChainHead, records: readonly AuditRecord[]): Promise<ScriptOutcome> {
    const last = records[records.length - 1];
    if (!last) throw new Error('unreachable: an append group is never empty');
    const args = [
      expected.seq === 0 ? '' : formatHead(expected),
      formatHead(last),
      expected.seq === 0 ? '0-0' : streamId(expected.seq),
      ...records.flatMap((record) => [streamId(record.seq), canonicalJson(record)]),
    ];
    let reply: unknown;
    try {
      reply = await this.redis.evalsha(APPEND_AUDIT_RECORDS_SCRIPT_SHA1, 4, this.headKey, this.streamKey, this.gapKey, this.generationKey, ...args);
    } catch (error) {
      // Redis forgets scripts on restart (and never saw it on first use): send the text once.
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      reply = await this.redis.eval(APPEND_AUDIT_RECORDS_SCRIPT, 4, this.headKey, this.streamKey, this.gapKey, this.generationKey, ...args);
    }
    return toScriptOutcome(reply);
  }

  private async whenReady(deadline: number): Promise<void> {
    if (this.redis.status === 'ready') return;
    await new Promise<void>((resolve, reject) => {
      const onReady = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.redis.off('ready', onReady);
        reject(new Error(`Redis is not reachable (connection ${this.redis.status})`));
      }, Math.max(0, deadline - Date.now()));
      this.redis.once('ready', onReady);
    });
  }

  private async snapshot(): Promise<[headText: string | null, lastId: string | undefined]> {
    const results = await this.redis.multi().get(this.headKey).xrevrange(this.streamKey, '+', '-', 'COUNT', 1).exec();
    if (!results) throw new Error('the audit snapshot transaction was aborted');
    for (const [error] of results) if (error) throw error;
    const headText = results[0]?.[1];
    const last: unknown = results[1]?.[1];
    const lastEntry: unknown = Array.isArray(last) ? last[0] : undefined;
    const lastId: unknown = Array.isArray(lastEntry) ? lastEntry[0] : undefined;
    return [typeof headText === 'string' ? headText : null, typeof lastId === 'string' ? lastId : undefined];
  }

  /** Stream entries from `start` to `end` (ids, inclusive), a page at a time, as stored text. */
  private async *storedRecords(start: string, end: string): AsyncGenerator<{ id: string; text: string }> {
    for (let from = start; ; ) {
      const page = await this.redis.xrange(this.streamKey, from, end, 'COUNT', PAGE_SIZE);
      for (const [id, fields] of page) yield { id, text: recordField(fields) };
      const lastId = page[page.length - 1]?.[0];
      if (page.length < PAGE_SIZE || lastId === undefined) return;
      from = `(${lastId}`;
    }
  }

  private reportOutage(error: Error): void {
    if (this.outageReported) return;
    this.outageReported = true;
    this.logger.error('audit.redis.unavailable', { reason: error.message });
  }

  private reportRecovery(): void {
    if (!this.outageReported) return;
    this.outageReported = false;
    this.logger.info('audit.redis.available');
  }
}

type ScriptOutcome =
  | { readonly kind: 'appended'; readonly head: AuditChainHead; readonly generation: string }
  | { readonly kind: 'moved'; readonly head: AuditChainHead; readonly generation: string }
  | { readonly kind: 'gap-pending' }
  | { readonly kind: 'diverged' };

function toScriptOutcome(reply: unknown): ScriptOutcome {
  if (!Array.isArray(reply) || typeof reply[0] !== 'number' || typeof reply[1] !== 'string' || typeof reply[2] !== 'string') {
    throw new Error('unexpected reply from the audit append script');
  }
  if (reply[0] === -1) return { kind: 'diverged' };
  if (reply[0] === -2) return { kind: 'gap-pending' };
  const head = parseHead(reply[1]);
  if (!head) throw new Error('the chain head key is not readable');
  return { kind: reply[0] === 1 ? 'appended' : 'moved', head, generation: reply[2] };
}

/** The marker a replica left when it noticed lost records; null when absent or unreadable. */
function parseGapMarker(text: string | null): PendingAuditGap | null {
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as Partial<PendingAuditGap>;
    const expected = value.expected;
    const found = value.found;
    if (!expected || !found || typeof value.detectedAt !== 'string') return null;
    return { expected: { seq: Number(expected.seq), hash: String(expected.hash) }, found: { seq: Number(found.seq), hash: String(found.hash) }, detectedAt: value.detectedAt };
  } catch {
    return null;
  }
}

function chainOnto(entries: readonly AuditEntry[], head: AuditChainHead): AuditRecord[] {
  let previous = head;
  return entries.map((entry) => {
    const record = chainAuditRecord(entry, previous);
    previous = record;
    return record;
  });
}

function formatHead(head: AuditChainHead): string {
  return `${head.seq}:${head.hash}`;
}

/** `null`/empty means an empty chain; undefined means the key holds something else. */
function parseHead(text: string | null): AuditChainHead | undefined {
  if (text === null || text === '') return EMPTY_CHAIN_HEAD;
  const match = /^(\d+):([0-9a-f]{64})$/.exec(text);
  return match ? { seq: Number(match[1]), hash: match[2] ?? '' } : undefined;
}

function streamId(seq: number): string {
  return `${seq}-0`;
}

/** The `record` field of a stream entry; '' (which fails to parse) when it is missing. */
function recordField(fields: readonly string[]): string {
  const index = fields.findIndex((value, i) => i % 2 === 0 && value === 'record');
  return index === -1 ? '' : (fields[index + 1] ?? '');
}

/** The client-facing failure: the registered meaning only; Redis errors stay in `cause`. */
function unavailable(cause: unknown): PatientGraphError {
  if (cause instanceof PatientGraphError && cause.code === 'AUDIT_UNAVAILABLE') return cause;
  return new PatientGraphError('AUDIT_UNAVAILABLE', ERROR_CODES.AUDIT_UNAVAILABLE.meaning, {}, { cause });
}
