import { stat } from 'node:fs/promises';
import { relative } from 'node:path';
import type { PatientChangeCursor, PatientChangePage } from '../sdk/PatientChanges';
import type {
  AnalyticsFilter,
  ClinicalAdapter,
  Facility,
  PatientLookup,
  PatientResource,
  SourcePatient,
} from '../sdk/ClinicalAdapter';
import type { Logger } from '../../core/logging/logger';
import type { ClinicalResourceKind, DiagnosisCount } from '../../contracts/model/clinical';
import { FolderWatcher } from './FolderWatcher';
import type { Xml130Config } from './parseXml130Config';
import { readXml130File, type Xml130FileSummary } from './readXml130File';
import { scanXml130Folder, type FolderEntry } from './scanXml130Folder';
import { createHash } from 'node:crypto';
import { openXml130Sql } from './index/Xml130Sql';
import type { PgliteDatabase } from '../sql-his/PgliteDatabase';
import { Xml130SqlIndex, type FileToCommit, type IndexedFileRecord, type Xml130IndexCounts } from './index/Xml130SqlIndex';
import type { Xml130FileWriter } from './index/Xml130FileWriter';
import { sha256OfFile } from './index/sha256OfFile';
import { checkXml130Limits } from './Xml130Limits';
import type { PseudonymBasis } from '../sdk/population/patientPseudonym';
import type { PopulationQuery, PopulationRow } from '../sdk/population/PopulationQuery';
import type { CohortQuery, CohortSourcePage } from '../sdk/population/CohortQuery';

/**
 * Files made visible together: up to this many HOSO (a file is never split), or this many files
 * (a folder of one-HOSO files), per transaction and recomputation of winners and patients.
 */
export const COMMIT_GROUP_HOSO = 2000;
export const COMMIT_GROUP_FILES = 200;

/** What the adapter holds, for operations (`/stats`, logs, tests). */
export interface Xml130Stats {
  readonly files: number;
  /** HOSO read whole and indexed (after replacements by MA_LK). */
  readonly hoso: number;
  /** HOSO rejected for a problem. */
  readonly rejectedHoso: number;
  /** Problems over all files (files and HOSO). */
  readonly problems: number;
  readonly patients: number;
  /** Completed rescans of the folder. */
  readonly scans: number;
  /**
   * Copies of an episode replaced by another HOSO with the same MA_LK (a resubmission, or the
   * same claim exported twice): the most recently changed file's copy is used.
   */
  readonly replacedMaLk: number;
  /** Files parsed since start (a restart with nothing changed parses none). */
  readonly filesRead: number;
}

export interface Xml130AdapterOptions {
  readonly config: Xml130Config;
  /** The facility the folder belongs to: files of another MA_CSKCB are refused. */
  readonly facility: Facility;
  readonly logger: Logger;
  /** For a PGlite index: a database already open to keep it in (the demo's shared one), left open on close. */
  readonly pglite?: PgliteDatabase;
}

/**
 * A `ClinicalAdapter` (system `xml130`) over the folder of QĐ 130 claim files a hospital already
 * produces for VSS (docs/architecture.md §4). `start()` opens the index on disk (PGlite in a data
 * directory, or PostgreSQL; `Xml130SqlIndex`) and brings it up to date with the folder: only files
 * that are new, or whose size, time and content changed since the index last read them, are read,
 * HOSO by HOSO, in batched writes; files that vanished are dropped. Then it follows the folder
 * (fs.watch with a debounce, plus a periodic rescan). Each file's change is one transaction, so a
 * query sees either the file's old contribution or its new one, never a mix. Memory does not grow
 * with the number of HOSO. Logs carry counts, file names and codes.
 */
export class Xml130Adapter implements ClinicalAdapter {
  readonly system = 'xml130';

  private index: Xml130SqlIndex | null = null;
  private files = new Map<string, IndexedFileRecord>();
  private counts: Xml130IndexCounts = { hoso: 0, patients: 0, replacedMaLk: 0 };
  private filesRead = 0;
  private readonly logger: Logger;
  private watcher: FolderWatcher | null = null;
  private chain: Promise<void> = Promise.resolve();
  private queued: Promise<void> | null = null;
  private scans = 0;
  private closed = false;

  constructor(private readonly options: Xml130AdapterOptions) {
    checkXml130Limits(options.config.limits);
    this.logger = options.logger.child({ system: 'xml130', facilityCode: options.facility.code });
  }

  /** Indexes the folder, then follows it when `watch` is on. Fails when the folder is missing. */
  async start(): Promise<void> {
    const folder = this.options.config.folder;
    const info = await stat(folder).catch(() => undefined);
    if (!info?.isDirectory()) throw new Error(`xml130: the folder ${folder} does not exist or is not a folder`);
    const sql = await openXml130Sql(this.options.config.index, this.options.pglite ? { pglite: this.options.pglite } : {});
    try {
      this.index = await Xml130SqlIndex.open(sql, { folder, facilityCode: this.options.facility.code });
      this.files = await this.index.files();
      this.counts = await this.index.counts();
    } catch (error) {
      await sql.close();
      throw error;
    }
    const store = this.options.config.index;
    // Where the index is (a data directory); a PostgreSQL URL may carry a password, so not that.
    this.logger.info('xml130.index_opened', { store: store.kind, dataDir: store.kind === 'pglite' ? (store.dataDir ?? 'memory') : undefined, files: this.files.size, hoso: this.counts.hoso });
    await this.refresh();
    if (this.options.config.watch && !this.closed) {
      this.watcher = new FolderWatcher({
        folder,
        debounceMs: this.options.config.debounceMs,
        rescanIntervalMs: this.options.config.rescanIntervalMs,
        onChange: () => {
          this.refresh().catch((error: unknown) =>
            this.logger.error('xml130.refresh_failed', { message: error instanceof Error ? error.message : String(error) }));
        },
        logger: this.logger,
      }).start();
    }
  }

  /**
   * Rescans the folder now; resolves once a scan that started after this call has finished.
   * Scans never overlap: calls made while one runs share the next one.
   */
  refresh(): Promise<void> {
    if (this.queued) return this.queued;
    const next = this.chain.then(() => {
      this.queued = null;
      return this.scan();
    });
    this.queued = next;
    this.chain = next.catch(() => undefined);
    return next;
  }

  async findPatients(lookup: PatientLookup): Promise<readonly SourcePatient[]> {
    return this.opened().findPatients(lookup);
  }

  async loadResources<K extends ClinicalResourceKind>(kind: K, patientLocalIds: readonly string[]): Promise<readonly PatientResource<K>[]> {
    return this.opened().resources(kind, patientLocalIds);
  }

  /** The registration feed from the claim files' modification times (Xml130SqlIndex.patientsChangedSince). */
  async patientsChangedSince(since: string, first: number, after: PatientChangeCursor | null): Promise<PatientChangePage> {
    return this.opened().patientsChangedSince(since, first, after);
  }

  async diagnosisCounts(filter: AnalyticsFilter): Promise<readonly DiagnosisCount[]> {
    return this.opened().diagnosisCounts(filter);
  }

  async encounterCount(filter: AnalyticsFilter): Promise<number> {
    return this.opened().encounterCount(filter);
  }

  async population(query: PopulationQuery, pseudonymOf: (basis: PseudonymBasis) => string): Promise<readonly PopulationRow[]> {
    return this.opened().population(query, pseudonymOf, this.options.facility.code);
  }

  async cohort(query: CohortQuery, pseudonymOf: (basis: PseudonymBasis) => string, after: string | null, first: number): Promise<CohortSourcePage> {
    return this.opened().cohort(query, pseudonymOf, after, first, this.options.facility.code);
  }

  stats(): Xml130Stats {
    let rejectedHoso = 0;
    let problems = 0;
    for (const { summary } of this.files.values()) {
      rejectedHoso += summary.rejected;
      problems += summary.problemCount;
    }
    const { hoso, patients, replacedMaLk } = this.counts;
    return { files: this.files.size, hoso, rejectedHoso, problems, patients, scans: this.scans, replacedMaLk, filesRead: this.filesRead };
  }

  /** What each file gave at its last reading, problems included, by path. */
  fileSummaries(): readonly Xml130FileSummary[] {
    return [...this.files.values()].map((record) => record.summary).sort((a, b) => (a.path < b.path ? -1 : 1));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.watcher?.close();
    this.watcher = null;
    await this.chain;
    await this.index?.close();
    this.index = null;
  }

  private async scan(): Promise<void> {
    const index = this.index;
    if (this.closed || !index) return;
    const started = performance.now();
    let listing: FolderEntry[];
    try {
      listing = await scanXml130Folder(this.options.config.folder);
    } catch (error) {
      // Keep serving the last index: an unmounted share must not look like "every file deleted".
      this.logger.warn('xml130.scan_failed', { message: error instanceof Error ? error.message : String(error) });
      return;
    }
    const present = new Set(listing.map((entry) => entry.path));
    let changed = false;
    for (const [path, known] of [...this.files]) {
      if (present.has(path) || this.closed) continue;
      await index.removeFile(known.id);
      this.files.delete(path);
      changed = true;
      this.logger.info('xml130.file_removed', { file: this.nameOf(path) });
    }
    const toRead: { readonly entry: FolderEntry; readonly replacing: number | null }[] = [];
    for (const entry of listing) {
      const known = this.files.get(entry.path);
      if (known && known.size === entry.size && known.mtimeMs === entry.mtimeMs) continue;
      if (this.closed) return;
      if (known && (await sha256OfFile(entry.path)) === known.sha256) {
        // Same bytes (copied back, touched): no re-reading; the new time still orders copies of a MA_LK.
        await index.touchFile(known.id, entry.size, entry.mtimeMs);
        this.files.set(entry.path, { ...known, size: entry.size, mtimeMs: entry.mtimeMs });
      } else {
        toRead.push({ entry, replacing: known?.id ?? null });
      }
      changed = true;
    }
    await this.readFiles(index, toRead);
    this.scans += 1;
    if (!changed) return;
    this.counts = await index.counts();
    await this.reportDuplicates(index);
    this.logger.info('xml130.indexed', { ...this.stats(), ms: Math.round(performance.now() - started) });
  }

  /**
   * Reads new and changed files into the index, and makes them visible a group at a time: files are
   * committed together until they hold COMMIT_GROUP_HOSO HOSO (or COMMIT_GROUP_FILES files), so a
   * folder of one-HOSO files is not one transaction and one recomputation of winners per file. A
   * file with problems is committed with them (its summary reports them); a failure of the index
   * itself drops every file of the group not yet committed (nothing of them was visible) and stops
   * the scan, as before: the next scan reads them again.
   */
  private async readFiles(index: Xml130SqlIndex, files: readonly { readonly entry: FolderEntry; readonly replacing: number | null }[]): Promise<void> {
    let batch = index.newBatch();
    let group: { readonly file: FileToCommit; readonly entry: FolderEntry }[] = [];
    let groupHoso = 0;
    const commit = async (): Promise<void> => {
      if (group.length === 0) return;
      await index.commitFiles(group.map(({ file }) => file));
      for (const { file, entry } of group) this.committed(file, entry);
      group = [];
      groupHoso = 0;
      batch = index.newBatch();
    };
    let writer: Xml130FileWriter | null = null;
    try {
      for (const { entry, replacing } of files) {
        if (this.closed) break;
        writer = await index.beginFile(entry, batch);
        const file = await this.read(writer, entry, replacing);
        writer = null;
        group.push({ file, entry });
        groupHoso += file.summary.hoso + file.summary.rejected;
        if (groupHoso >= COMMIT_GROUP_HOSO || group.length >= COMMIT_GROUP_FILES) await commit();
      }
      await commit();
    } catch (error) {
      const uncommitted = [...group.map(({ file }) => file.writer), ...(writer ? [writer] : [])];
      await index.abandonFiles(uncommitted).catch(() => undefined);
      throw error;
    }
  }

  /** Reads one file into the index (its rows, batch by batch); visible once its group is committed. */
  private async read(writer: Xml130FileWriter, entry: FolderEntry, replacing: number | null): Promise<FileToCommit> {
    const hash = createHash('sha256');
    const summary = await readXml130File(entry.path, {
      limits: this.options.config.limits,
      expectedFacilityCode: this.options.facility.code,
      onHoso: (hoso) => writer.add(hoso),
      onChunk: async (chunk) => {
        hash.update(chunk);
        await writer.flushIfFull();
      },
    });
    return { writer, sha256: hash.digest('hex'), summary, replacing };
  }

  /** A committed file: in the manifest, counted and logged. */
  private committed(file: FileToCommit, entry: FolderEntry): void {
    const { summary } = file;
    this.files.set(entry.path, { id: file.writer.fileId, path: entry.path, size: entry.size, mtimeMs: entry.mtimeMs, sha256: file.sha256, summary });
    this.filesRead += 1;
    const fields = { file: this.nameOf(entry.path), hoso: summary.hoso, rejectedHoso: summary.rejected, problems: summary.problemCount };
    if (summary.problemCount > 0) this.logger.warn('xml130.file_problems', fields);
    else this.logger.info('xml130.file_indexed', fields);
  }

  /** A MA_LK in two HOSO never collapses into one visit unnoticed: counted, and logged by file. */
  private async reportDuplicates(index: Xml130SqlIndex): Promise<void> {
    if (this.counts.replacedMaLk === 0) return;
    // File names and counts only: MA_LK values stay out of the logs (`xml130 inspect` lists them).
    const files = (await index.filesWithReplacedCopies(20)).map((path) => this.nameOf(path));
    this.logger.warn('xml130.duplicate_ma_lk', { replacedCopies: this.counts.replacedMaLk, files });
  }

  private opened(): Xml130SqlIndex {
    if (!this.index) throw new Error('xml130: the adapter is not started, or is closed');
    return this.index;
  }

  private nameOf(path: string): string {
    return relative(this.options.config.folder, path);
  }
}
