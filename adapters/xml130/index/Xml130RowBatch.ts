import type { HosoRow } from './indexRowOf';
import type { Xml130Sql } from './Xml130Sql';

/**
 * HOSO written per statement on PostgreSQL: large enough to amortize a round trip, small enough to
 * bound memory. PGlite takes smaller ones (Xml130Sql's `batchHoso`).
 */
export const XML130_INDEX_BATCH = 500;

const INSERT_HOSO = `INSERT INTO xml130_hoso (file_id, ordinal, ma_lk, ma_bn, start_at, window_date, fact_date, encounter_class,
    primary_code, primary_display, national_id, insurance_number, bhxh, full_name, birth_date, gender,
    t_tongchi, t_bhtt, t_bncct, end_date)
  SELECT * FROM unnest($1::integer[], $2::integer[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
    $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[],
    $17::numeric[], $18::numeric[], $19::numeric[], $20::text[])`;

const INSERT_RESOURCES = `INSERT INTO xml130_resources (file_id, ordinal, payload)
  SELECT * FROM unnest($1::integer[], $2::integer[], $3::bytea[])`;

const INSERT_DIAGNOSES = `INSERT INTO xml130_diagnosis (file_id, ordinal, position, code, norm_code, category, chapter)
  SELECT * FROM unnest($1::integer[], $2::integer[], $3::integer[], $4::text[], $5::text[], $6::text[], $7::text[])`;

/** A HOSO row and the file (its `xml130_file` id) it belongs to. */
interface FileRow {
  readonly fileId: number;
  readonly row: HosoRow;
}

/**
 * The rows of one or more files being written (each under its `loading` file row), written as
 * multi-row INSERTs (`unnest` of one array per column) of up to `sql.batchHoso` HOSO, whichever
 * files they come from: a folder of one-HOSO files costs a statement per 500 HOSO, not per file.
 *
 * One write runs while the reader goes on parsing: `flushIfFull` starts a batch's write and returns
 * once the previous one has finished, so parsing (this thread) and writing (the database) overlap,
 * and at most two batches are held. A failed write is kept and thrown by the next call, so a file
 * is never committed over a missing batch.
 */
export class Xml130RowBatch {
  private rows: FileRow[] = [];
  private inFlight: Promise<void> = Promise.resolve();
  private failure: Error | null = null;

  constructor(private readonly sql: Xml130Sql) {}

  add(fileId: number, row: HosoRow): void {
    this.rows.push({ fileId, row });
  }

  /** Starts writing the rows held once they fill a batch (after the previous write finished). */
  async flushIfFull(): Promise<void> {
    if (this.rows.length >= this.sql.batchHoso) await this.startWrite();
  }

  /** Writes every row held and waits until all of them are written. */
  async flush(): Promise<void> {
    await this.startWrite();
    await this.inFlight;
    if (this.failure) throw this.failure;
  }

  /** Waits for the write under way, whatever its outcome (before deleting what it writes). */
  async settled(): Promise<void> {
    await this.inFlight;
  }

  private async startWrite(): Promise<void> {
    await this.inFlight;
    if (this.failure) throw this.failure;
    const rows = this.rows;
    this.rows = [];
    if (rows.length === 0) return;
    this.inFlight = this.write(rows).catch((error: unknown) => {
      this.failure = error instanceof Error ? error : new Error(String(error));
    });
  }

  private async write(rows: readonly FileRow[]): Promise<void> {
    await this.sql.query(INSERT_HOSO, hosoParams(rows));
    await this.sql.query(INSERT_RESOURCES, [rows.map((r) => r.fileId), rows.map((r) => r.row.ordinal), rows.map((r) => r.row.payload)]);
    const diagnoses = rows.flatMap(({ fileId, row }) => row.diagnoses.map((d) => ({ fileId, ordinal: row.ordinal, ...d })));
    if (diagnoses.length === 0) return;
    await this.sql.query(INSERT_DIAGNOSES, [
      diagnoses.map((d) => d.fileId),
      diagnoses.map((d) => d.ordinal),
      diagnoses.map((d) => d.position),
      diagnoses.map((d) => d.code),
      diagnoses.map((d) => d.normCode),
      diagnoses.map((d) => d.category),
      diagnoses.map((d) => d.chapter),
    ]);
  }
}

function hosoParams(rows: readonly FileRow[]): unknown[] {
  const column = <T>(pick: (row: HosoRow) => T): T[] => rows.map(({ row }) => pick(row));
  return [
    rows.map((r) => r.fileId),
    column((r) => r.ordinal),
    column((r) => r.maLk),
    column((r) => r.maBn),
    column((r) => r.startAt),
    column((r) => r.windowDate),
    column((r) => r.factDate),
    column((r) => r.encounterClass),
    column((r) => r.primaryCode),
    column((r) => r.primaryDisplay),
    column((r) => r.nationalId),
    column((r) => r.insuranceNumber),
    column((r) => r.bhxh),
    column((r) => r.fullName),
    column((r) => r.birthDate),
    column((r) => r.gender),
    column((r) => r.totalCost),
    column((r) => r.insurancePaid),
    column((r) => r.patientCoPay),
    column((r) => r.endDate),
  ];
}
