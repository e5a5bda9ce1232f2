import type { Client, Connection, Submittable } from 'pg';

/** Bytes of COPY data per CopyData message: large enough to keep the socket busy, small enough to stay well under PostgreSQL's message limits. */
const CHUNK_BYTES = 256 * 1024;

/**
 * `COPY table (columns) FROM STDIN` of rows, through the `pg` client alone: a query object of the
 * client's `Submittable` kind that answers the server's CopyInResponse with the rows in COPY's
 * text format (PostgreSQL docs, "COPY", File Formats: Text Format) and then CopyDone — what
 * pg-copy-streams does, for rows already in memory, without that dependency. The rows' keys
 * (those of the first row) are the columns; identifiers are quoted as Kysely creates them.
 */
export function copyRows(client: Client, table: string, rows: readonly Readonly<Record<string, unknown>>[]): Promise<number> {
  const first = rows[0];
  if (first === undefined) return Promise.resolve(0);
  const columns = Object.keys(first);
  const text = `COPY ${quoteIdentifier(table)} (${columns.map(quoteIdentifier).join(', ')}) FROM STDIN`;
  const data = Buffer.from(rows.map((row) => columns.map((column) => copyText(row[column])).join('\t')).join('\n') + '\n');
  return new Promise((resolve, reject) => {
    void client.query(new CopyIn(text, data, (error, count) => (error ? reject(error) : resolve(count))));
  });
}

/** One value in COPY's text format: `\N` for null, backslash escapes for the characters that separate fields and rows. */
export function copyText(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (value instanceof Date) return value.toISOString();
  if (typeof value !== 'string') throw new TypeError(`copyText: cannot write a ${typeof value}`);
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The client calls these handlers on its active query (node_modules/pg/lib/client.js); a COPY FROM answers none with rows. */
class CopyIn implements Submittable {
  private rowCount = 0;
  private finished = false;

  constructor(
    private readonly text: string,
    private readonly data: Buffer,
    private readonly done: (error: Error | null, rowCount: number) => void,
  ) {}

  submit(connection: Connection): void {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: Connection & { sendCopyFromChunk(chunk: Buffer): void; endCopyFrom(): void }): void {
    for (let offset = 0; offset < this.data.length; offset += CHUNK_BYTES) connection.sendCopyFromChunk(this.data.subarray(offset, offset + CHUNK_BYTES));
    connection.endCopyFrom();
  }

  handleCommandComplete(message: { text?: string }): void {
    // "COPY 1234"
    this.rowCount = Number(message.text?.split(' ')[1] ?? 0);
  }

  /** The client drops its active query on an error (its ReadyForQuery then reaches no one): answer now. */
  handleError(error: Error): void {
    this.finish(error);
  }

  handleReadyForQuery(): void {
    this.finish(null);
  }

  private finish(error: Error | null): void {
    if (this.finished) return;
    this.finished = true;
    this.done(error, this.rowCount);
  }

  handleCopyData(): void {}
  handleEmptyQuery(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handlePortalSuspended(): void {}
}
