import { Pool, type PoolClient } from 'pg';
import { ERROR_CODES } from '../../core/errors/errorCodes';
import { PatientGraphError } from '../../core/errors/PatientGraphError';
import { AppendQueue } from './AppendQueue';
import { AuditChainVerifier } from './AuditChainVerifier';
import type { AuditEntry } from './AuditEntry';
import type { AuditLog, AuditLogFilter, AuditVerification } from './AuditLog';
import type { AuditChainHead, AuditRecord } from './AuditRecord';
import { canonicalJson } from './canonicalJson';
import { chainAuditRecord } from './chainAuditRecord';
import { assertAuditLogFilter, matchesAuditFilter } from './matchesAuditFilter';
import { normalizeAuditEntry } from './normalizeAuditEntry';
import { parseAuditRecord } from './parseAuditRecord';

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

  private constructor(
    private readonly pool: Pool,
    tablePrefix: string,
  ) {
    this.records = `${tablePrefix}records`;
    this.head = `${tablePrefix}head`;
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
    const log = new PostgresAuditLog(pool, tablePrefix);
    try {
      if (options.mode === 'read') await pool.query('SELECT 1');
      else await log.createTables();
    } catch (cause) {
      await pool.end();
      throw new PatientGraphError('AUDIT_UNAVAILABLE', 'the audit log in PostgreSQL is not reachable', {}, { cause });
    }
    return log;
  }

  async append(entry: AuditEntry): Promise<AuditRecord> {
    if (this.closed) throw unavailable(new Error('the PostgreSQL audit log is closed'));
    return this.queue.push(normalizeAuditEntry(entry));
  }

  async checkAvailable(): Promise<void> {
    if (this.closed) throw unavailable(new Error('the PostgreSQL audit log is closed'));
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
      const anchor = await this.readHead(client, false);
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
    await this.pool.end();
  }

  private async commit(entries: readonly AuditEntry[]): Promise<AuditRecord[]> {
    let client: PoolClient | undefined;
    try {
      client = await this.pool.connect();
      await client.query('BEGIN');
      let head = await this.readHead(client, true);
      const records = entries.map((entry) => {
        const record = chainAuditRecord(entry, head);
        head = record;
        return record;
      });
      const values: unknown[] = [];
      const rows = records.map((record) => {
        values.push(record.seq, record.time, record.principal.sub, record.patients, record.hash, canonicalJson(record));
        const n = values.length;
        return `($${n - 5}, $${n - 4}::timestamptz, $${n - 3}, $${n - 2}::text[], $${n - 1}, $${n})`;
      });
      await client.query(`INSERT INTO ${this.records} (seq, time, sub, patients, hash, record) VALUES ${rows.join(', ')}`, values);
      await client.query(`UPDATE ${this.head} SET seq = $1, hash = $2 WHERE id`, [head.seq, head.hash]);
      await client.query('COMMIT');
      return records;
    } catch (cause) {
      await client?.query('ROLLBACK').catch(() => undefined);
      throw unavailable(cause);
    } finally {
      client?.release();
    }
  }

  private async tablesExist(): Promise<boolean> {
    const result = await this.pool.query<{ head: string | null; records: string | null }>('SELECT to_regclass($1) AS head, to_regclass($2) AS records', [this.head, this.records]);
    const row = result.rows[0];
    return row !== undefined && row.head !== null && row.records !== null;
  }

  private async readHead(client: PoolClient, lock: boolean): Promise<AuditChainHead> {
    const result = await client.query<{ seq: string; hash: string }>(`SELECT seq, hash FROM ${this.head} WHERE id${lock ? ' FOR UPDATE' : ''}`);
    const row = result.rows[0];
    if (!row) throw new Error('the audit head row is missing');
    return { seq: Number(row.seq), hash: row.hash };
  }

  private async createTables(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // Two gateways starting at once must not both create: one waits for the other.
      await client.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [this.records]);
      await client.query(`CREATE TABLE IF NOT EXISTS ${this.head} (id boolean PRIMARY KEY DEFAULT true CHECK (id), seq bigint NOT NULL, hash text NOT NULL)`);
      await client.query(`INSERT INTO ${this.head} (id, seq, hash) VALUES (true, 0, $1) ON CONFLICT (id) DO NOTHING`, ['0'.repeat(64)]);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${this.records} (seq bigint PRIMARY KEY, time timestamptz NOT NULL, sub text NOT NULL, patients text[] NOT NULL, hash text NOT NULL UNIQUE, record text NOT NULL)`,
      );
      await client.query(`CREATE INDEX IF NOT EXISTS ${this.records}_patients ON ${this.records} USING GIN (patients)`);
      await client.query(`CREATE INDEX IF NOT EXISTS ${this.records}_time ON ${this.records} (time)`);
      await client.query(`CREATE INDEX IF NOT EXISTS ${this.records}_sub_time ON ${this.records} (sub, time)`);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

/** The client-facing failure: the registered meaning only; database errors stay in `cause`. */
function unavailable(cause: unknown): PatientGraphError {
  if (cause instanceof PatientGraphError && cause.code === 'AUDIT_UNAVAILABLE') return cause;
  return new PatientGraphError('AUDIT_UNAVAILABLE', ERROR_CODES.AUDIT_UNAVAILABLE.meaning, {}, { cause });
}
