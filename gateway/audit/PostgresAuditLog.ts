import { randomUUID } from 'node:crypto';
import { Pool, type PoolClient } from 'pg';
import { silentLogger, type Logger } from '../../core/logging/logger';
import { ERROR_CODES } from '../../core/errors/errorCodes';
import { PatientGraphError } from '../../core/errors/PatientGraphError';
import { AppendQueue } from './AppendQueue';
import { AuditChainVerifier } from './AuditChainVerifier';
import type { AuditCheckpointStore } from './AuditCheckpoint';
import type { AuditEntry, AuditGap } from './AuditEntry';
import type { AuditGapAcknowledgement, AuditLog, AuditLogFilter, AuditVerification, PendingAuditGap } from './AuditLog';
import { EMPTY_CHAIN_HEAD, type AuditChainHead, type AuditRecord } from './AuditRecord';
import { gapAcknowledgementEntry } from './gapAcknowledgementEntry';
import { canonicalJson } from './canonicalJson';
import { chainAuditRecord } from './chainAuditRecord';
import { assertAuditLogFilter, matchesAuditFilter } from './matchesAuditFilter';
import { normalizeAuditEntry } from './normalizeAuditEntry';
import { parseAuditRecord } from './parseAuditRecord';
import { inPostgresTransaction } from '../../core/sql/inPostgresTransaction';
import { pendingGapVerification } from './pendingGapVerification';

export interface PostgresAuditLogOptions {
  /** `postgres://user[:password]@host:port/database`. */
  readonly url: string;
  /** Prefix of the two tables (`<prefix>records`, `<prefix>head`); letters, digits, `_`. */
  readonly tablePrefix?: string;
  /** Connections per gateway (default 4): appends are grouped, reads are short. */
  readonly poolSize?: number;
  /** How long a statement may run before the append fails with AUDIT_UNAVAILABLE (default 5000 ms). */
  readonly statementTimeoutMs?: number;
  /**
   * `append` (the gateway) creates the tables when missing; `read` (the audit commands) changes
   * nothing, and a place without tables reads as holding no records.
   */
  readonly mode?: 'append' | 'read';
  readonly logger?: Logger;
  /**
   * Where this gateway keeps its checkpoint across restarts (a signed file, docs/audit.md); without
   * one, a gateway restarted after the tables lost rows starts from what they hold.
   */
  readonly checkpoint?: AuditCheckpointStore;
}

/** Rows fetched per statement when verifying. */
const PAGE_SIZE = 1000;

/**
 * The audit trail of scaled-out gateways in PostgreSQL (docs/architecture.md §7, docs/audit.md):
 * durable, replicated with the database, kept for years and read by index rather than re-read
 * whole. The same hash chain as the file and Redis logs: each row keeps the record's canonical
 * JSON exactly as hashed, so `verify` checks what is stored.
 *
 * One chain across any number of gateways: an append group runs in one transaction that locks the
 * single head row (`SELECT … FOR UPDATE`), chains onto it, inserts the records and moves the head;
 * a second gateway waits for the lock and chains onto the new head. The record's seq is the
 * primary key, so a fork cannot be stored either. Reads use a GIN index on the patients array
 * (`accessLog`) and B-tree indexes on time and subject (`auditEvents` filters).
 */
export class PostgresAuditLog implements AuditLog {
  private readonly queue = new AppendQueue<AuditEntry, AuditRecord>((entries) => this.commit(entries));
  private readonly records: string;
  private readonly head: string;
  private closed = false;
  /** This gateway's checkpoint: the head after its last append (or as last seen), and its generation. */
  private checkpointHead: AuditChainHead = EMPTY_CHAIN_HEAD;
  private generation = '';
  /** Set once this gateway knows of a loss not yet acknowledged. */
  private lost = false;
  private readonly logger: Logger;
  private readonly checkpoint: AuditCheckpointStore | undefined;

  private constructor(
    private readonly pool: Pool,
    tablePrefix: string,
    options: PostgresAuditLogOptions,
  ) {
    this.records = `${tablePrefix}records`;
    this.head = `${tablePrefix}head`;
    this.logger = options.logger ?? silentLogger;
    this.checkpoint = options.checkpoint;
  }

  /** Connects and creates the tables and indexes when missing; AUDIT_UNAVAILABLE when unreachable. */
  static async connect(options: PostgresAuditLogOptions): Promise<PostgresAuditLog> {
    const tablePrefix = options.tablePrefix ?? 'patient_graph_audit_';
    if (!/^[a-z_][a-z0-9_]{0,40}$/.test(tablePrefix)) throw new Error('PostgresAuditLog: tablePrefix must be lower-case letters, digits and _');
    const statementTimeoutMs = options.statementTimeoutMs ?? 5000;
    const pool = new Pool({
      connectionString: options.url,
      max: options.poolSize ?? 4,
      connectionTimeoutMillis: statementTimeoutMs,
      statement_timeout: statementTimeoutMs,
    });
    // An idle client losing its connection must not crash the gateway; the next query reports it.
    pool.on('error', () => undefined);
    const log = new PostgresAuditLog(pool, tablePrefix, options);
    try {
      if (options.mode === 'read') await pool.query('SELECT 1');
      else await log.createTables();
    } catch (cause) {
      await pool.end();
      throw new PatientGraphError('AUDIT_UNAVAILABLE', 'the audit log in PostgreSQL is not reachable', {}, { cause });
    }
    if (options.mode !== 'read') {
      try {
        await log.observe();
      } catch (error) {
        await pool.end();
        throw error;
      }
    }
    return log;
  }

  async append(entry: AuditEntry): Promise<AuditRecord> {
    if (this.closed) throw unavailable(new Error('the PostgreSQL audit log is closed'));
    return this.queue.push(normalizeAuditEntry(entry));
  }

  /** Cheap unless a loss is pending: then one look at the head row, for an acknowledgement. */
  async checkAvailable(): Promise<void> {
    if (this.closed) throw unavailable(new Error('the PostgreSQL audit log is closed'));
    if (this.lost && !(await this.acceptAcknowledgedGap())) throw unavailable(new Error('audit records were lost; waiting for audit acknowledge-gap'));
  }

  async pendingGap(): Promise<PendingAuditGap | null> {
    if (!(await this.tablesExist())) return null;
    const state = await this.readHeadState(this.pool, false);
    return state.gap;
  }

  /**
   * Writes the pending loss as its own record, chained onto the last record the table still holds
   * (so the chain links again), moves the head there, clears the marker and starts a new
   * generation, in one transaction. Null when no loss is pending.
   */
  async acknowledgeGap(acknowledgement: AuditGapAcknowledgement): Promise<AuditRecord | null> {
    if (!(await this.tablesExist())) return null;
    return inPostgresTransaction(this.pool, async (client) => {
      const state = await this.readHeadState(client, true);
      if (!state.gap) return null; // nothing written: the commit only ends the read
      const gap: AuditGap = { reason: acknowledgement.reason, expected: state.gap.expected, found: state.gap.found };
      const record = chainAuditRecord(gapAcknowledgementEntry(gap, acknowledgement), await this.lastStored(client));
      await this.insertRecords(client, [record]);
      await client.query(`UPDATE ${this.head} SET seq = $1, hash = $2, gap = NULL, generation = $3 WHERE id`, [record.seq, record.hash, randomUUID()]);
      return record;
    });
  }

  async read(filter: AuditLogFilter = {}): Promise<AuditRecord[]> {
    assertAuditLogFilter(filter);
    const conditions: string[] = [];
    const values: unknown[] = [];
    const add = (sql: string, value: unknown): void => {
      values.push(value);
      conditions.push(sql.replace('?', `$${values.length}`));
    };
    if (!(await this.tablesExist())) return [];
    if (filter.patient !== undefined) add('patients @> ARRAY[?]::text[]', filter.patient);
    if (filter.sub !== undefined) add('sub = ?', filter.sub);
    if (filter.from !== undefined) add('time >= ?::timestamptz', filter.from);
    if (filter.to !== undefined) add('time <= ?::timestamptz', filter.to);
    if (filter.afterSeq !== undefined) add('seq > ?', filter.afterSeq);
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const limit = filter.limit !== undefined ? `LIMIT ${Number(filter.limit)}` : '';
    const result = await this.pool.query<{ seq: string; record: string }>(`SELECT seq, record FROM ${this.records} ${where} ORDER BY seq ${limit}`, values);
    return result.rows.map(({ seq, record }) => {
      const parsed = parseAuditRecord(record);
      if (parsed.kind === 'invalid') throw new Error(`the audit table cannot be read: record ${seq} ${parsed.problem} (run patient-graph audit verify)`);
      return parsed.record;
    }).filter((record) => matchesAuditFilter(record, filter));
  }

  async verify(): Promise<AuditVerification> {
    if (!(await this.tablesExist())) return { kind: 'intact', count: 0 };
    const client = await this.pool.connect();
    try {
      // One snapshot for the head and every page, so appends meanwhile change nothing seen.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const { head: anchor, gap: pending } = await this.readHeadState(client, false);
      if (pending) return pendingGapVerification(pending, 'shared log');
      const verifier = new AuditChainVerifier();
      for (let after = 0; ; ) {
        const page = await client.query<{ seq: string; record: string }>(`SELECT seq, record FROM ${this.records} WHERE seq > $1 ORDER BY seq LIMIT ${PAGE_SIZE}`, [after]);
        for (const row of page.rows) if (!verifier.accept(row.record)) return verifier.result(anchor);
        const last = page.rows[page.rows.length - 1];
        if (page.rows.length < PAGE_SIZE || !last) break;
        after = Number(last.seq);
      }
      return verifier.result(anchor);
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.idle();
    await this.checkpoint?.flush();
    await this.pool.end();
  }

  private async commit(entries: readonly AuditEntry[]): Promise<AuditRecord[]> {
    try {
      const written = await inPostgresTransaction(this.pool, async (client) => {
        const state = await this.readHeadState(client, true);
        if (state.gap) {
          this.lost = true;
          throw new Error('audit records were lost; waiting for audit acknowledge-gap');
        }
        const loss = await this.findLoss(client, state);
        if (loss) {
          // The marker is committed on its own: every gateway's next append is refused.
          await this.markLoss(client, loss);
          return null;
        }
        let head = state.head;
        const records = entries.map((entry) => {
          const record = chainAuditRecord(entry, head);
          head = record;
          return record;
        });
        await this.insertRecords(client, records);
        await client.query(`UPDATE ${this.head} SET seq = $1, hash = $2 WHERE id`, [head.seq, head.hash]);
        return { records, head, generation: state.generation };
      });
      if (!written) throw new Error('audit records were lost; waiting for audit acknowledge-gap');
      this.checkpointHead = written.head;
      this.generation = written.generation;
      this.checkpoint?.save({ head: written.head, generation: written.generation });
      return written.records;
    } catch (cause) {
      throw unavailable(cause);
    }
  }

  private async tablesExist(): Promise<boolean> {
    const result = await this.pool.query<{ head: string | null; records: string | null }>('SELECT to_regclass($1) AS head, to_regclass($2) AS records', [this.head, this.records]);
    const row = result.rows[0];
    return row !== undefined && row.head !== null && row.records !== null;
  }

  /**
   * The head row: the chain head, the pending gap marker and the generation. Read through
   * `to_jsonb`, so the audit commands also read tables created before the marker columns existed.
   */
  private async readHeadState(client: PoolClient | Pool, lock: boolean): Promise<HeadState> {
    const result = await client.query<{ seq: string; hash: string; gap: string | null; generation: string | null }>(
      `SELECT h.seq, h.hash, to_jsonb(h)->>'gap' AS gap, to_jsonb(h)->>'generation' AS generation FROM ${this.head} h WHERE id${lock ? ' FOR UPDATE' : ''}`,
    );
    const row = result.rows[0];
    if (!row) throw new Error('the audit head row is missing');
    return { head: { seq: Number(row.seq), hash: row.hash }, gap: parseGapMarker(row.gap), generation: row.generation ?? '' };
  }

  /** The last record the table holds (seq and hash), whatever the head row says. */
  private async lastStored(client: PoolClient): Promise<AuditChainHead> {
    const result = await client.query<{ seq: string; hash: string }>(`SELECT seq, hash FROM ${this.records} ORDER BY seq DESC LIMIT 1`);
    const row = result.rows[0];
    return row ? { seq: Number(row.seq), hash: row.hash } : EMPTY_CHAIN_HEAD;
  }

  /** The stored hash of record `seq`, or null when the table no longer holds it. */
  private async storedHash(client: PoolClient, seq: number): Promise<string | null> {
    const result = await client.query<{ hash: string }>(`SELECT hash FROM ${this.records} WHERE seq = $1`, [seq]);
    return result.rows[0]?.hash ?? null;
  }

  /**
   * Whether records were lost (docs/audit.md): the table no longer holds the record the head row
   * names (rows deleted, the table truncated), or this gateway's checkpoint (tables dropped and
   * recreated, a restore from an older backup) — unless an operator acknowledged a loss since
   * (a generation this gateway has not seen). Two primary-key look-ups, under the head lock.
   */
  private async findLoss(client: PoolClient, state: HeadState): Promise<PendingAuditGap | null> {
    const found = await this.lastStored(client);
    const lost = (expected: AuditChainHead): PendingAuditGap => ({ expected, found, detectedAt: new Date().toISOString() });
    if (state.head.seq > 0 && (await this.storedHash(client, state.head.seq)) !== state.head.hash) return lost(state.head);
    const mine = this.checkpointHead;
    if (mine.seq === 0 || (state.generation !== '' && state.generation !== this.generation)) return null;
    if (state.head.seq < mine.seq || (await this.storedHash(client, mine.seq)) !== mine.hash) return lost(mine);
    return null;
  }

  private async markLoss(client: PoolClient, loss: PendingAuditGap): Promise<void> {
    this.lost = true;
    await client.query(`UPDATE ${this.head} SET gap = $1 WHERE id AND gap IS NULL`, [JSON.stringify(loss)]);
    this.logger.error('audit.postgres.records_lost', { checkpointSeq: loss.expected.seq, headSeq: loss.found.seq });
  }

  /**
   * At connect: this gateway's checkpoint from before a restart (else the head as found), then the
   * same loss check as an append, so a loss that happened while it was down is refused up front.
   */
  private async observe(): Promise<void> {
    const saved = await this.checkpoint?.load();
    try {
      const state = await inPostgresTransaction(this.pool, async (client) => {
        const found = await this.readHeadState(client, true);
        this.checkpointHead = saved?.head ?? found.head;
        this.generation = saved?.generation ?? found.generation;
        const loss = found.gap ? null : await this.findLoss(client, found);
        if (found.gap) this.lost = true;
        else if (loss) await this.markLoss(client, loss);
        return found;
      });
      if (!this.lost) {
        if (state.generation !== this.generation) this.logger.warn('audit.postgres.gap_accepted', { checkpointSeq: this.checkpointHead.seq, headSeq: state.head.seq });
        this.checkpointHead = state.head;
        this.generation = state.generation;
        this.checkpoint?.save({ head: state.head, generation: state.generation });
      }
    } catch (error) {
      throw unavailable(error);
    }
  }

  /** After an operator acknowledged the loss (marker gone, a new generation): take the chain as it is. */
  private async acceptAcknowledgedGap(): Promise<boolean> {
    const state = await this.readHeadState(this.pool, false);
    if (state.gap || state.generation === this.generation) return false;
    this.logger.warn('audit.postgres.gap_accepted', { checkpointSeq: this.checkpointHead.seq, headSeq: state.head.seq });
    this.checkpointHead = state.head;
    this.generation = state.generation;
    this.lost = false;
    this.checkpoint?.save({ head: state.head, generation: state.generation });
    return true;
  }

  private async insertRecords(client: PoolClient, records: readonly AuditRecord[]): Promise<void> {
    const values: unknown[] = [];
    const rows = records.map((record) => {
      values.push(record.seq, record.time, record.principal.sub, record.patients, record.hash, canonicalJson(record));
      const n = values.length;
      return `($${n - 5}, $${n - 4}::timestamptz, $${n - 3}, $${n - 2}::text[], $${n - 1}, $${n})`;
    });
    await client.query(`INSERT INTO ${this.records} (seq, time, sub, patients, hash, record) VALUES ${rows.join(', ')}`, values);
  }

  private async createTables(): Promise<void> {
    await inPostgresTransaction(this.pool, async (client) => {
      // Two gateways starting at once must not both create: one waits for the other.
      await client.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [this.records]);
      await client.query(`CREATE TABLE IF NOT EXISTS ${this.head} (id boolean PRIMARY KEY DEFAULT true CHECK (id), seq bigint NOT NULL, hash text NOT NULL)`);
      await client.query(`INSERT INTO ${this.head} (id, seq, hash) VALUES (true, 0, $1) ON CONFLICT (id) DO NOTHING`, ['0'.repeat(64)]);
      // The gap marker (a loss awaiting acknowledgement) and the generation each acknowledgement sets.
      await client.query(`ALTER TABLE ${this.head} ADD COLUMN IF NOT EXISTS gap text, ADD COLUMN IF NOT EXISTS generation text NOT NULL DEFAULT ''`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${this.records} (seq bigint PRIMARY KEY, time timestamptz NOT NULL, sub text NOT NULL, patients text[] NOT NULL, hash text NOT NULL UNIQUE, record text NOT NULL)`,
      );
      await client.query(`CREATE INDEX IF NOT EXISTS ${this.records}_patients ON ${this.records} USING GIN (patients)`);
      await client.query(`CREATE INDEX IF NOT EXISTS ${this.records}_time ON ${this.records} (time)`);
      await client.query(`CREATE INDEX IF NOT EXISTS ${this.records}_sub_time ON ${this.records} (sub, time)`);
    });
  }
}

interface HeadState {
  readonly head: AuditChainHead;
  readonly gap: PendingAuditGap | null;
  readonly generation: string;
}

/** The marker a gateway left when it noticed lost records; null when absent or unreadable. */
function parseGapMarker(text: string | null): PendingAuditGap | null {
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as Partial<PendingAuditGap>;
    const { expected, found } = value;
    if (!expected || !found || typeof value.detectedAt !== 'string') return null;
    return { expected: { seq: Number(expected.seq), hash: String(expected.hash) }, found: { seq: Number(found.seq), hash: String(found.hash) }, detectedAt: value.detectedAt };
  } catch {
    return null;
  }
}

/** The client-facing failure: the registered meaning only; database errors stay in `cause`. */
function unavailable(cause: unknown): PatientGraphError {
  if (cause instanceof PatientGraphError && cause.code === 'AUDIT_UNAVAILABLE') return cause;
  return new PatientGraphError('AUDIT_UNAVAILABLE', ERROR_CODES.AUDIT_UNAVAILABLE.meaning, {}, { cause });
}
