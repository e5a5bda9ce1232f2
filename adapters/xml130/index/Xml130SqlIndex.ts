import type { AnalyticsFilter, PatientLookup, PatientResource, SourcePatient } from '../../sdk/ClinicalAdapter';
import { SOURCE_IDENTIFIER_SYSTEMS } from '../../sdk/sourceIdentifierSystems';
import type { PatientChangeCursor, PatientChangePage } from '../../sdk/PatientChanges';
import type { ClinicalResourceKind, DiagnosisCount } from '../../../contracts/model/clinical';
import type { AdministrativeGender } from '../../../contracts/model/patient';
import { pseudonymBasisOf } from '../../sdk/population/encounterFactOf';
import type { PseudonymBasis } from '../../sdk/population/patientPseudonym';
import type { EncounterFact, PopulationQuery, PopulationRow } from '../../sdk/population/PopulationQuery';
import type { Xml130FileSummary } from '../readXml130File';
import { resourcesOfPayload } from './hosoPayload';
import { populationSqlOf } from './populationSqlOf';
import { cohortSqlOf } from './cohortSqlOf';
import { cohortRowOf } from '../../sdk/population/cohortRowOf';
import type { CohortQuery, CohortSourcePage } from '../../sdk/population/CohortQuery';
import { XML130_INDEX_DDL, XML130_INDEX_SCHEMA_VERSION, XML130_INDEX_TABLES } from './xml130IndexSchema';
import { Xml130FileWriter } from './Xml130FileWriter';
import { Xml130RowBatch } from './Xml130RowBatch';
import type { SqlRow, SqlStatement, Xml130Sql } from './Xml130Sql';

/** A file as the index last read it (the manifest): a restart re-reads only what differs. */
export interface IndexedFileRecord {
  readonly id: number;
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** SHA-256 (hex) of the bytes read. */
  readonly sha256: string;
  readonly summary: Xml130FileSummary;
}

/** A file whose HOSO are written, ready to be made visible. */
export interface FileToCommit {
  readonly writer: Xml130FileWriter;
  /** SHA-256 (hex) of the bytes read. */
  readonly sha256: string;
  readonly summary: Xml130FileSummary;
  /** The `xml130_file` id of the version it replaces, if any. */
  readonly replacing: number | null;
}

/** Totals of what the index serves. */
export interface Xml130IndexCounts {
  /** HOSO served (one per MA_LK). */
  readonly hoso: number;
  readonly patients: number;
  /** Copies of an episode replaced by another copy with the same MA_LK. */
  readonly replacedMaLk: number;
}

/** Which folder of which facility the index describes: another one starts from empty. */
export interface Xml130IndexIdentity {
  readonly folder: string;
  readonly facilityCode: string;
}

/**
 * The copy of each MA_LK touched by the given files that is used: the last in (file mtime, path,
 * HOSO order) among active files. Only rows whose flag changes are written.
 */
const RECOMPUTE_WINNERS = `UPDATE xml130_hoso h SET winner = c.winner FROM (
    SELECT h1.file_id, h1.ordinal, (f.state = 'active' AND row_number() OVER (PARTITION BY h1.ma_lk
      ORDER BY f.state = 'active' DESC, f.mtime_ms DESC, f.path DESC, h1.ordinal DESC) = 1) AS winner
    FROM (SELECT DISTINCT ma_lk FROM xml130_hoso WHERE file_id = ANY($1::integer[])) touched
    JOIN xml130_hoso h1 ON h1.ma_lk = touched.ma_lk
    JOIN xml130_file f ON f.id = h1.file_id
  ) c
  WHERE h.file_id = c.file_id AND h.ordinal = c.ordinal AND h.winner <> c.winner`;

const TOUCHED_PATIENTS = `SELECT ma_bn FROM xml130_hoso WHERE file_id = ANY($1::integer[])`;

/** Newest episode's non-empty value of a column (Xml130Index's mergePatient, in SQL). */
const newest = (column: string, filterColumn = column): string =>
  `(array_agg(h.${column} ORDER BY h.start_at DESC, f.mtime_ms DESC, f.path DESC, h.ordinal DESC) FILTER (WHERE h.${filterColumn} IS NOT NULL))[1]`;

const MERGE_PATIENTS = `INSERT INTO xml130_patient (ma_bn, national_id, insurance_number, bhxh, full_name, birth_date, gender)
  SELECT h.ma_bn, ${newest('national_id')}, ${newest('insurance_number')}, ${newest('bhxh', 'insurance_number')},
    ${newest('full_name')}, ${newest('birth_date')}, ${newest('gender')}
  FROM xml130_hoso h JOIN xml130_file f ON f.id = h.file_id
  WHERE h.winner AND h.ma_bn IN (${TOUCHED_PATIENTS})
  GROUP BY h.ma_bn`;

/**
 * The xml130 adapter's index on disk (PGlite in a data directory, or PostgreSQL): HOSO, merged
 * patients, diagnoses and the manifest of files, with an index for every lookup. Memory does not
 * grow with the number of HOSO: rows go to the database as they are read, and queries return only
 * what was asked. Each change of a file is one transaction, so a query sees the file's old
 * contribution or its new one, never a mix.
 */
export class Xml130SqlIndex {
  /** HOSO rows written by this process, and at the last ANALYZE (see `keepStatistics`). */
  private rowsWritten = 0;
  private rowsAtLastAnalyze = 0;

  private constructor(private readonly sql: Xml130Sql) {}

  /** Creates the tables when missing; an index of another folder, facility or version starts empty. */
  static async open(sql: Xml130Sql, identity: Xml130IndexIdentity): Promise<Xml130SqlIndex> {
    const expected: Record<string, string> = { schema: XML130_INDEX_SCHEMA_VERSION, folder: identity.folder, facility: identity.facilityCode };
    const hasMeta = (await sql.query(`SELECT to_regclass('xml130_meta') IS NOT NULL AS present`))[0]?.present === true;
    const meta = hasMeta ? await sql.query('SELECT key, value FROM xml130_meta') : [];
    const same = meta.length === Object.keys(expected).length && meta.every((row) => expected[String(row.key)] === row.value);
    if (!same) {
      await sql.transaction([
        ...XML130_INDEX_TABLES.map((table) => ({ sql: `DROP TABLE IF EXISTS ${table} CASCADE` })),
        ...XML130_INDEX_DDL.map((ddl) => ({ sql: ddl })),
        ...Object.entries(expected).map(([key, value]) => ({ sql: 'INSERT INTO xml130_meta (key, value) VALUES ($1, $2)', params: [key, value] })),
      ]);
    }
    // A file being written when the process stopped never became visible: drop its rows.
    await sql.query(`DELETE FROM xml130_file WHERE state <> 'active'`);
    return new Xml130SqlIndex(sql);
  }

  /** The manifest: every file served, by path. Its size grows with files, not with HOSO. */
  async files(): Promise<Map<string, IndexedFileRecord>> {
    const rows = await this.sql.query(`SELECT id, path, size, mtime_ms, sha256, summary FROM xml130_file WHERE state = 'active'`);
    return new Map(rows.map((row) => {
      const record: IndexedFileRecord = {
        id: Number(row.id),
        path: String(row.path),
        size: Number(row.size),
        mtimeMs: Number(row.mtime_ms),
        sha256: String(row.sha256),
        summary: row.summary as Xml130FileSummary,
      };
      return [record.path, record];
    }));
  }

  /** A batch of rows for the files committed together (`beginFile`, `commitFiles`). */
  newBatch(): Xml130RowBatch {
    return new Xml130RowBatch(this.sql);
  }

  /**
   * Starts writing a file's HOSO (new, or a new version of one already served), into `batch` when
   * given (files committed together share one), else into a batch of its own.
   */
  async beginFile(entry: { readonly path: string; readonly size: number; readonly mtimeMs: number }, batch: Xml130RowBatch = this.newBatch()): Promise<Xml130FileWriter> {
    const rows = await this.sql.query(
      `INSERT INTO xml130_file (path, size, mtime_ms, sha256, state, summary) VALUES ($1, $2, $3, '', 'loading', '{}') RETURNING id`,
      [entry.path, entry.size, entry.mtimeMs],
    );
    return new Xml130FileWriter(batch, Number(rows[0]?.id));
  }

  /** Makes one written file visible (`commitFiles` of one). */
  async commitFile(writer: Xml130FileWriter, sha256: string, summary: Xml130FileSummary, replacing: number | null): Promise<void> {
    await this.commitFiles([{ writer, sha256, summary, replacing }]);
  }

  /**
   * Makes written files visible, in one transaction with the removal of the versions they replace:
   * winners and merged patients of every MA_LK and MA_BN either touched are recomputed once for
   * all of them, so a folder of small files costs one commit per batch, not per file.
   */
  async commitFiles(files: readonly FileToCommit[]): Promise<void> {
    if (files.length === 0) return;
    for (const batch of new Set(files.map((file) => file.writer.batch))) await batch.flush();
    const written = files.map((file) => file.writer.fileId);
    const replaced = files.flatMap((file) => (file.replacing === null ? [] : [file.replacing]));
    await this.sql.transaction([
      ...(replaced.length === 0 ? [] : [{ sql: `UPDATE xml130_file SET state = 'gone' WHERE id = ANY($1::integer[])`, params: [replaced] }]),
      {
        sql: `UPDATE xml130_file f SET state = 'active', sha256 = v.sha256, summary = v.summary::jsonb
          FROM unnest($1::integer[], $2::text[], $3::text[]) AS v (id, sha256, summary) WHERE f.id = v.id`,
        params: [written, files.map((file) => file.sha256), files.map((file) => JSON.stringify(file.summary))],
      },
      ...settle([...written, ...replaced]),
      ...(replaced.length === 0 ? [] : [{ sql: 'DELETE FROM xml130_file WHERE id = ANY($1::integer[])', params: [replaced] }]),
    ]);
    this.rowsWritten += files.reduce((sum, file) => sum + file.writer.written, 0);
    await this.keepStatistics();
  }

  /**
   * PGlite runs PostgreSQL in single-user mode, without autovacuum: nothing gathers the planner's
   * statistics, and without them it joins by the wrong index as the tables grow. ANALYZE whenever
   * the rows written since the last one doubled (a few times over a whole folder). Not of
   * `xml130_resources`: it is only read by its key, and sampling its payloads (30,000 rows of
   * ~2 KB) grew PGlite's memory, which never shrinks, for no plan.
   */
  private async keepStatistics(): Promise<void> {
    if (this.rowsWritten < Math.max(1000, this.rowsAtLastAnalyze * 2)) return;
    this.rowsAtLastAnalyze = this.rowsWritten;
    await this.sql.query('ANALYZE xml130_file, xml130_hoso, xml130_diagnosis, xml130_patient');
  }

  /** Drops files being written (their reading failed): nothing of them was ever visible. */
  async abandonFiles(writers: readonly Xml130FileWriter[]): Promise<void> {
    if (writers.length === 0) return;
    for (const batch of new Set(writers.map((writer) => writer.batch))) await batch.settled();
    await this.sql.query('DELETE FROM xml130_file WHERE id = ANY($1::integer[])', [writers.map((writer) => writer.fileId)]);
  }

  /** A file that vanished: its HOSO go, and copies they had replaced come back. */
  async removeFile(id: number): Promise<void> {
    await this.sql.transaction([
      { sql: `UPDATE xml130_file SET state = 'gone' WHERE id = $1`, params: [id] },
      ...settle([id]),
      { sql: 'DELETE FROM xml130_file WHERE id = $1', params: [id] },
    ]);
  }

  /** Same bytes, new size or time (copied, touched): no re-reading; the time still orders copies. */
  async touchFile(id: number, size: number, mtimeMs: number): Promise<void> {
    await this.sql.transaction([
      { sql: 'UPDATE xml130_file SET size = $2, mtime_ms = $3 WHERE id = $1', params: [id, size, mtimeMs] },
      ...settle([id]),
    ]);
  }

  async counts(): Promise<Xml130IndexCounts> {
    const [row] = await this.sql.query(`SELECT
      (SELECT count(*) FROM xml130_hoso WHERE winner)::integer AS hoso,
      (SELECT count(*) FROM xml130_patient)::integer AS patients,
      (SELECT count(*) FROM xml130_hoso h JOIN xml130_file f ON f.id = h.file_id WHERE f.state = 'active' AND NOT h.winner)::integer AS replaced`);
    return { hoso: Number(row?.hoso ?? 0), patients: Number(row?.patients ?? 0), replacedMaLk: Number(row?.replaced ?? 0) };
  }

  /** Files holding a copy of an episode that another copy replaced, by path (at most `limit`). */
  async filesWithReplacedCopies(limit: number): Promise<string[]> {
    const rows = await this.sql.query(`SELECT DISTINCT f.path FROM xml130_hoso h JOIN xml130_file f ON f.id = h.file_id
      WHERE f.state = 'active' AND NOT h.winner ORDER BY f.path LIMIT $1`, [limit]);
    return rows.map((row) => String(row.path));
  }

  /** Every patient whose CCCD, BHXH code or birth date is in the lookup, each once, by MA_BN. */
  async findPatients(lookup: PatientLookup): Promise<SourcePatient[]> {
    const rows = await this.sql.query(`SELECT ma_bn, national_id, insurance_number, full_name, birth_date, gender FROM xml130_patient
      WHERE national_id = ANY($1::text[]) OR bhxh = ANY($2::text[]) OR birth_date = ANY($3::text[]) ORDER BY ma_bn`,
      [lookup.nationalIds, lookup.socialInsuranceNumbers, lookup.birthDates]);
    return rows.map(patientOf);
  }

  /**
   * The registration feed (docs/identity.md §2): the patients with an episode in a claim file
   * modified at or after `since` — a new or resubmitted XML1 repeats the demographics, and the
   * newest episode's win — at the time of the newest such file (whole milliseconds, so a cursor
   * compares exactly), in (updatedAt, MA_BN) order, strictly after `after`.
   */
  async patientsChangedSince(since: string, first: number, after: PatientChangeCursor | null): Promise<PatientChangePage> {
    const rows = await this.sql.query(`SELECT p.ma_bn, p.national_id, p.insurance_number, p.full_name, p.birth_date, p.gender, c.updated_ms
      FROM (SELECT h.ma_bn, floor(max(f.mtime_ms)) AS updated_ms FROM xml130_hoso h JOIN xml130_file f ON f.id = h.file_id
            WHERE h.winner AND f.state = 'active' GROUP BY h.ma_bn) c
      JOIN xml130_patient p ON p.ma_bn = c.ma_bn
      WHERE c.updated_ms >= $1 AND ($2::double precision IS NULL OR c.updated_ms > $2 OR (c.updated_ms = $2 AND c.ma_bn > $3))
      ORDER BY c.updated_ms, c.ma_bn LIMIT $4`,
      [Date.parse(since), after ? Date.parse(after.updatedAt) : null, after?.localId ?? '', first + 1]);
    const patients = rows.slice(0, first).map((row) => ({ ...patientOf(row), updatedAt: new Date(Number(row.updated_ms)).toISOString() }));
    const last = patients.at(-1);
    return { patients, end: last ? { updatedAt: last.updatedAt, localId: last.localId } : null, hasNextPage: rows.length > first };
  }

  /** The resources of one kind of every episode of the given MA_BN, episodes by start. */
  async resources<K extends ClinicalResourceKind>(kind: K, patientLocalIds: readonly string[]): Promise<PatientResource<K>[]> {
    if (kind === 'allergies') return []; // QĐ 130 has no allergy table
    const ids = [...new Set(patientLocalIds)];
    const rows = await this.sql.query(`SELECT h.ma_bn, r.payload FROM xml130_hoso h JOIN xml130_file f ON f.id = h.file_id
      JOIN xml130_resources r ON r.file_id = h.file_id AND r.ordinal = h.ordinal
      WHERE h.winner AND h.ma_bn = ANY($1::text[]) ORDER BY h.start_at, f.mtime_ms, f.path, h.ordinal`, [ids]);
    const byPatient = new Map<string, PatientResource<K>[]>();
    for (const row of rows) {
      const patientLocalId = String(row.ma_bn);
      const into = byPatient.get(patientLocalId) ?? [];
      for (const resource of resourcesOfPayload(kind, row.payload as Uint8Array)) into.push({ patientLocalId, resource });
      byPatient.set(patientLocalId, into);
    }
    return ids.flatMap((id) => byPatient.get(id) ?? []);
  }

  /** Episodes per main diagnosis (XML1 MA_BENH_CHINH), admitted in the window. */
  async diagnosisCounts(filter: AnalyticsFilter): Promise<DiagnosisCount[]> {
    const rows = await this.sql.query(`SELECT primary_code AS code,
        (array_agg(primary_display ORDER BY window_date) FILTER (WHERE primary_display IS NOT NULL))[1] AS display,
        count(*)::integer AS encounters
      FROM xml130_hoso WHERE winner AND primary_code IS NOT NULL AND ${WINDOW}
      GROUP BY primary_code ORDER BY min(window_date), primary_code`, [filter.from, filter.to]);
    return rows.map((row) => ({ code: String(row.code), display: textOf(row.display), encounters: Number(row.encounters) }));
  }

  /** Episodes admitted (XML1 NGAY_VAO, Viet Nam date) in the window, inclusive. */
  async encounterCount(filter: AnalyticsFilter): Promise<number> {
    const [row] = await this.sql.query(`SELECT count(*)::integer AS n FROM xml130_hoso WHERE winner AND ${WINDOW}`, [filter.from, filter.to]);
    return Number(row?.n ?? 0);
  }

  /**
   * A population question (docs/analytics.md) grouped in SQL: one row per cell, or per cell and
   * patient for PATIENTS, whose keyed pseudonyms are derived here (the key never reaches SQL).
   */
  async population(query: PopulationQuery, pseudonymOf: (basis: PseudonymBasis) => string, facilityCode: string): Promise<PopulationRow[]> {
    const { sql, params } = populationSqlOf(query, facilityCode);
    const rows = await this.sql.query(sql, params);
    const valuesOf = (row: SqlRow): (string | null)[] => query.groupBy.map((_, i) => (row[`v${i}`] === null ? null : String(row[`v${i}`])));
    if (query.measure !== 'PATIENTS') {
      return sortRows(rows.map((row) => ({
        values: valuesOf(row),
        count: Number(row.n),
        pseudonyms: null,
        amounts: query.measure === 'COST' ? { totalCost: Number(row.total_cost), insurancePaid: Number(row.insurance_paid), patientCoPay: Number(row.patient_co_pay) } : null,
      })));
    }
    const pseudonyms = new Map<string, string>();
    const cells = new Map<string, { values: (string | null)[]; people: Set<string> }>();
    for (const row of rows) {
      const patient = patientOf(row);
      let pseudonym = pseudonyms.get(patient.localId);
      if (pseudonym === undefined) {
        pseudonym = pseudonymOf(pseudonymBasisOf(patient, facilityCode));
        pseudonyms.set(patient.localId, pseudonym);
      }
      const values = valuesOf(row);
      const key = JSON.stringify(values);
      const cell = cells.get(key) ?? { values, people: new Set<string>() };
      cell.people.add(pseudonym);
      cells.set(key, cell);
    }
    return sortRows([...cells.values()].map((cell) => ({ values: cell.values, count: cell.people.size, pseudonyms: [...cell.people].sort() })));
  }

  /** A page of cohort rows (docs/analytics.md), one keyset-paged statement (cohortSqlOf); pseudonyms derived here. */
  async cohort(query: CohortQuery, pseudonymOf: (basis: PseudonymBasis) => string, after: string | null, first: number, facilityCode: string): Promise<CohortSourcePage> {
    const { sql, params } = cohortSqlOf(query, after, first);
    const rows = await this.sql.query(sql, params);
    const pseudonyms = new Map<string, string>();
    const page = rows.slice(0, first).map((row) => {
      const patient = patientOf(row);
      let pseudonym = pseudonyms.get(patient.localId);
      if (pseudonym === undefined) {
        pseudonym = pseudonymOf(pseudonymBasisOf(patient, facilityCode));
        pseudonyms.set(patient.localId, pseudonym);
      }
      const codes = Array.isArray(row.codes) ? row.codes.map(String) : [];
      const fact: EncounterFact = {
        date: textOf(row.fact_date),
        encounterClass: String(row.encounter_class),
        diagnoses: codes.map((code, i) => ({ code, primary: i === 0 })),
        patient: { sex: patient.gender, birthDate: patient.birthDate, pseudonym },
      };
      return { ...cohortRowOf(fact, facilityCode), place: String(row.ma_lk) };
    });
    return { rows: page, hasNextPage: rows.length > first, endPlace: page.at(-1)?.place ?? null };
  }

  async close(): Promise<void> {
    await this.sql.close();
  }
}

/** The old index's window: on the first ten characters of NGAY_VAO ('' when unknown), inclusive. */
const WINDOW = `($1::text IS NULL OR window_date >= $1::text) AND ($2::text IS NULL OR window_date <= $2::text)`;

/** Winners, then merged patients, of every MA_LK and MA_BN the given files hold. */
function settle(fileIds: readonly number[]): SqlStatement[] {
  return [
    { sql: RECOMPUTE_WINNERS, params: [fileIds] },
    { sql: `DELETE FROM xml130_patient WHERE ma_bn IN (${TOUCHED_PATIENTS})`, params: [fileIds] },
    { sql: MERGE_PATIENTS, params: [fileIds] },
  ];
}

function patientOf(row: SqlRow): SourcePatient {
  const text = textOf;
  const localId = String(row.ma_bn);
  const nationalId = text(row.national_id);
  const insuranceNumber = text(row.insurance_number);
  return {
    localId,
    nationalId,
    insuranceNumber,
    fullName: text(row.full_name),
    birthDate: text(row.birth_date),
    gender: text(row.gender) as AdministrativeGender | null,
    // Contract `sourceIdentifiers`: MA_BN, the CCCD and the card the merged record holds. An
    // SO_CCCD that is an old CMND or a passport is not kept in the index (only the 12-digit CCCD is).
    identifiers: [
      { system: SOURCE_IDENTIFIER_SYSTEMS.MEDICAL_RECORD_NUMBER, value: localId },
      ...(nationalId === null ? [] : [{ system: SOURCE_IDENTIFIER_SYSTEMS.NATIONAL_ID, value: nationalId }]),
      ...(insuranceNumber === null ? [] : [{ system: SOURCE_IDENTIFIER_SYSTEMS.INSURANCE_NUMBER, value: insuranceNumber }]),
    ],
  };
}

/** A text column's value (null stays null). */
function textOf(value: unknown): string | null {
  return typeof value === 'string' ? value : value === null || value === undefined ? null : JSON.stringify(value);
}

/** Cells in a stable order (by their values), whatever order the database grouped them in. */
function sortRows(rows: PopulationRow[]): PopulationRow[] {
  const keyed = rows.map((row) => ({ key: JSON.stringify(row.values), row }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map(({ row }) => row);
}
