import { Worker } from 'node:worker_threads';
import { PGLITE_EMBEDDED_SETTINGS } from './pgliteEmbeddedSettings';
import { pgliteTemplate } from './pgliteTemplate';

/** What a statement returned: rows as PGlite parses them (DATE and TIMESTAMP kept as text). */
export interface PgliteResult {
  readonly rows: Record<string, unknown>[];
  readonly affectedRows: number | undefined;
}

/** An error PGlite raised, as it crossed the thread boundary: SQLSTATE kept in `code`. */
export class PgliteError extends Error {
  override readonly name = 'PgliteError';
  constructor(message: string, readonly code: string | undefined) {
    super(message);
  }
}

interface Pending {
  readonly resolve: (result: PgliteResult) => void;
  readonly reject: (error: Error) => void;
}

type WorkerReply =
  | { readonly id: number; readonly rows: Record<string, unknown>[]; readonly affectedRows?: number }
  | { readonly id: number; readonly error: { readonly message: string; readonly code?: string } }
  | { readonly ready: boolean; readonly message?: string };

/**
 * The worker's program. PGlite runs where Node loads it natively: its WASM build imports Node
 * modules dynamically, which module sandboxes (jest's VM) cannot serve, and on its own thread a
 * long statement no longer blocks the hospital's HTTP server. DATE (1082) and TIMESTAMP (1114)
 * stay text, as with the pg and mysql2 drivers here (hisDateFormats reads wall-clock text).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const pglite = require(workerData.modulePath);
const { PGlite } = pglite;
const keep = (value) => value;
const settings = Object.entries(workerData.settings || {}).flatMap(([key, value]) => ['-c', key + '=' + value]);
const startParams = settings.length > 0 && PGlite.defaultStartParams ? { startParams: [...PGlite.defaultStartParams, ...settings] } : {};
let db;
parentPort.on('message', async (message) => {
  if (db === undefined) {
    // The first message: the template to load (an in-memory database), or null (initdb / a data directory).
    const template = message.template;
    db = new PGlite(workerData.dataDir || 'memory://', { parsers: { 1082: keep, 1114: keep }, ...startParams, ...(template ? { loadDataDir: new Blob([template]) } : {}) });
    db.waitReady.then(
      () => parentPort.postMessage({ ready: true }),
      (error) => parentPort.postMessage({ ready: false, message: String(error && error.message) }),
    );
    return;
  }
  if (message && message.memory) {
    // Diagnostics (benchmarks): PGlite's WebAssembly memory, which only grows, and this thread's JS heap.
    const heap = require('node:v8').getHeapStatistics();
    const wasm = db.mod && db.mod.HEAPU8 ? db.mod.HEAPU8.length : 0;
    parentPort.postMessage({ id: message.id, rows: [{ wasmBytes: wasm, workerHeapBytes: heap.used_heap_size, workerHeapTotalBytes: heap.total_heap_size }] });
    return;
  }
  if (message === 'close') {
    await db.close().catch(() => undefined);
    parentPort.close();
    return;
  }
  try {
    if (message.batch) {
      // One transaction: statements sent meanwhile wait for it (PGlite runs one at a time).
      const result = await db.transaction(async (tx) => {
        let last = { rows: [], affectedRows: 0 };
        for (const statement of message.batch) last = await tx.query(statement.sql, statement.params);
        return last;
      });
      parentPort.postMessage({ id: message.id, rows: result.rows, affectedRows: result.affectedRows });
      return;
    }
    // A read-only statement runs in a read-only transaction of its own: the database may be shared
    // with writers (the demo's stores), so read-only cannot be a session setting.
    const result = message.readOnly
      ? await db.transaction(async (tx) => {
          await tx.query('SET TRANSACTION READ ONLY');
          return tx.query(message.sql, message.params);
        })
      : await db.query(message.sql, message.params);
    parentPort.postMessage({ id: message.id, rows: result.rows, affectedRows: result.affectedRows });
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: { message: String(error && error.message), code: error && typeof error.code === 'string' ? error.code : undefined } });
  }
});
`;

/**
 * A PGlite database (PostgreSQL in WASM) on a worker thread of this process: in memory, or in a
 * data directory. The embedded demo's HIS database, so `npm start` needs no database server.
 * Statements run one at a time, in the order sent. The worker keeps the process alive only while
 * a statement is pending.
 */
export class PgliteDatabase {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | null = null;
  private readonly started: Promise<void>;
  private markStarted: (error?: Error) => void = () => undefined;
  /** Settles once the worker has been told how to start; every message to it is sent after that, in order. */
  private initialized: Promise<void>;

  private constructor(
    /** Its data directory; null in memory. */
    readonly dataDir: string | null,
    templateCacheDir: string | undefined,
    settings: Readonly<Record<string, string>>,
    youngGenerationMb: number | undefined,
  ) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { modulePath: require.resolve('@electric-sql/pglite'), dataDir, settings }, ...(youngGenerationMb === undefined ? {} : { resourceLimits: { maxYoungGenerationSizeMb: youngGenerationMb } }) });
    // In memory: load the data directory initdb made once (pgliteTemplate), not initdb again.
    const template = dataDir === null ? pgliteTemplate(templateCacheDir) : Promise.resolve(null);
    this.initialized = template.then(
      (bytes) => this.worker.postMessage({ template: bytes }),
      (error: unknown) => this.fail(error instanceof Error ? error : new Error(String(error))),
    );
    this.started = new Promise<void>((resolve, reject) => {
      this.markStarted = (error) => (error ? reject(error) : resolve());
    });
    this.started.catch(() => undefined); // observed through ready() and query()
    this.worker.unref();
    this.worker.on('message', (reply: WorkerReply) => this.settle(reply));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', () => this.fail(new Error('the PGlite worker has stopped')));
  }

  /**
   * In memory when `dataDir` is null, started from a template data directory (pgliteTemplate; kept
   * in `templateCacheDir` when given). The database starts in the background (about 2 s from a
   * template; initdb once per process or cache directory takes 5–10 s). `settings` are PostgreSQL
   * settings given at start (`-c key=value`), over PGLITE_EMBEDDED_SETTINGS (bounded memory).
   * `youngGenerationMb`: a cap on the worker thread's young JavaScript generation (V8's default
   * grows it to ~48 MB under a stream of large statements and keeps it resident, though the worker
   * only holds PGlite's glue and the statement in flight).
   */
  static open(options: { readonly dataDir?: string | null; readonly templateCacheDir?: string; readonly settings?: Readonly<Record<string, string>>; readonly youngGenerationMb?: number } = {}): PgliteDatabase {
    return new PgliteDatabase(options.dataDir ?? null, options.templateCacheDir, { ...PGLITE_EMBEDDED_SETTINGS, ...options.settings }, options.youngGenerationMb);
  }

  /**
   * Resolves once PostgreSQL has started in the worker (WASM compiled, database initialized): a
   * statement deadline should not count that time.
   */
  ready(): Promise<void> {
    return this.started;
  }

  /**
   * Runs one statement. `readOnly`: in a read-only transaction of its own (a write fails with
   * SQLSTATE 25006), whatever other users of the database do; not for a statement inside a
   * transaction opened with `begin`.
   */
  query(sql: string, params: readonly unknown[] = [], options: { readonly readOnly?: boolean } = {}): Promise<PgliteResult> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const readOnly = options.readOnly === true;
    return new Promise<PgliteResult>((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.initialized = this.initialized.then(() => this.worker.postMessage({ id, sql, params, readOnly }));
    });
  }

  /**
   * Runs the statements in one transaction (all or none); resolves with the last one's result.
   * Statements sent meanwhile run after it, so they see all of it or none of it.
   */
  transaction(statements: readonly { readonly sql: string; readonly params?: readonly unknown[] }[]): Promise<PgliteResult> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<PgliteResult>((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      // After the start message, like every statement: sent first, it would start PGlite without its template.
      this.initialized = this.initialized.then(() => this.worker.postMessage({ id, batch: statements.map((s) => ({ sql: s.sql, params: s.params ?? [] })) }));
    });
  }

  /**
   * What PGlite holds, for benchmarks: its WebAssembly memory (it never shrinks; the touched part
   * of it is resident) and the worker thread's JavaScript heap, in bytes.
   */
  async memory(): Promise<{ readonly wasmBytes: number; readonly workerHeapBytes: number; readonly workerHeapTotalBytes: number }> {
    if (this.failure) throw this.failure;
    const id = this.nextId++;
    const result = await new Promise<PgliteResult>((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.initialized = this.initialized.then(() => this.worker.postMessage({ id, memory: true }));
    });
    const row = result.rows[0] ?? {};
    return { wasmBytes: Number(row.wasmBytes ?? 0), workerHeapBytes: Number(row.workerHeapBytes ?? 0), workerHeapTotalBytes: Number(row.workerHeapTotalBytes ?? 0) };
  }

  /** Closes the database and stops the worker; pending statements fail. */
  async close(): Promise<void> {
    if (this.failure) return;
    await this.initialized;
    if (this.failure) {
      await this.worker.terminate();
      return;
    }
    this.worker.ref();
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage('close');
    // A data directory is flushed by PGlite's close(); a worker that does not exit soon after is stopped.
    const timer = setTimeout(() => void this.worker.terminate(), 5_000);
    await exited;
    clearTimeout(timer);
  }

  private settle(reply: WorkerReply): void {
    if ('ready' in reply) {
      this.markStarted(reply.ready ? undefined : new Error(`PGlite did not start: ${reply.message ?? 'unknown error'}`));
      return;
    }
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if ('error' in reply) pending.reject(new PgliteError(reply.error.message, reply.error.code));
    else pending.resolve({ rows: reply.rows, affectedRows: reply.affectedRows });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.markStarted(this.failure);
    for (const pending of this.pending.values()) pending.reject(this.failure);
    this.pending.clear();
  }
}
