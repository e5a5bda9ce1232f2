import type { Xml130Hoso } from '../Xml130Hoso';
import { indexRowOf, type HosoRow } from './indexRowOf';
import type { Xml130Sql } from './Xml130Sql';

/** HOSO written per statement: large enough to amortize a round trip, small enough to bound memory. */
export const XML130_INDEX_BATCH = 500;

const INSERT_HOSO = `INSERT INTO xml130_hoso (file_id, ordinal, ma_lk, ma_bn, start_at, window_date, fact_date, encounter_class,
    primary_code, primary_display, national_id, insurance_number, bhxh, full_name, birth_date, gender,
    t_tongchi, t_bhtt, t_bncct)
  SELECT $1::integer, * FROM unnest($2::integer[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
    $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[],
    $17::numeric[], $18::numeric[], $19::numeric[])`;

const INSERT_RESOURCES = `INSERT INTO xml130_resources (file_id, ordinal, payload)
  SELECT $1::integer, * FROM unnest($2::integer[], $3::bytea[])`;

const INSERT_DIAGNOSES = `INSERT INTO xml130_diagnosis (file_id, ordinal, position, code, norm_code, category, chapter)
  SELECT $1::integer, * FROM unnest($2::integer[], $3::integer[], $4::text[], $5::text[], $6::text[], $7::text[])`;

/**
 * Writes the HOSO of one file, as they are read, under a file row in state `loading` (invisible to
 * every query until `Xml130SqlIndex.commitFile`). `add` only buffers; `flushIfFull` (awaited by the
 * reader between chunks of the file) writes a batch, so at most one batch is ever held.
 */
export class Xml130FileWriter {
  private rows: HosoRow[] = [];
  private ordinal = 0;
  private failure: Error | null = null;

  constructor(private readonly sql: Xml130Sql, readonly fileId: number) {}

  /** HOSO added so far. */
  get written(): number {
    return this.ordinal;
  }

  add(hoso: Xml130Hoso): void {
    this.rows.push(indexRowOf(hoso, this.ordinal));
    this.ordinal += 1;
  }

  async flushIfFull(): Promise<void> {
    if (this.rows.length >= XML130_INDEX_BATCH) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    const rows = this.rows;
    this.rows = [];
    if (rows.length === 0) return;
    try {
      await this.sql.query(INSERT_HOSO, hosoParams(this.fileId, rows));
      await this.sql.query(INSERT_RESOURCES, [
        this.fileId,
        rows.map((r) => r.ordinal),
        rows.map((r) => r.payload),
      ]);
      const diagnoses = rows.flatMap((row) => row.diagnoses.map((d) => ({ ordinal: row.ordinal, ...d })));
      if (diagnoses.length > 0) {
        await this.sql.query(INSERT_DIAGNOSES, [
          this.fileId,
          diagnoses.map((d) => d.ordinal),
          diagnoses.map((d) => d.position),
          diagnoses.map((d) => d.code),
          diagnoses.map((d) => d.normCode),
          diagnoses.map((d) => d.category),
          diagnoses.map((d) => d.chapter),
        ]);
      }
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
      throw this.failure;
    }
  }
}

function hosoParams(fileId: number, rows: readonly HosoRow[]): unknown[] {
  const column = <T>(pick: (row: HosoRow) => T): T[] => rows.map(pick);
  return [
    fileId,
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
  ];
}
