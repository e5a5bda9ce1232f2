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
import type { ClinicalResourceKind, DiagnosisCount } from '../../core/model/clinical';
import { FolderWatcher } from './FolderWatcher';
import type { Xml130Config } from './parseXml130Config';
import { readXml130File, type Xml130FileSummary } from './readXml130File';
import { scanXml130Folder, type FolderEntry } from './scanXml130Folder';
import type { Xml130Hoso } from './Xml130Hoso';
import { Xml130Index } from './Xml130Index';
import { findDuplicateMaLk } from './findDuplicateMaLk';
import { checkXml130Limits } from './Xml130Limits';
import type { PseudonymBasis } from '../sdk/population/patientPseudonym';
import type { PopulationQuery, PopulationRow } from '../sdk/population/PopulationQuery';

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
}

export interface Xml130AdapterOptions {
  readonly config: Xml130Config;
  /** The facility the folder belongs to: files of another MA_CSKCB are refused. */
  readonly facility: Facility;
  readonly logger: Logger;
}

/** What one file contributes, and the size and time it had when read. */
interface FileState {
  readonly entry: FolderEntry;
  readonly summary: Xml130FileSummary;
  readonly hoso: readonly Xml130Hoso[];
}

/**
 * A `ClinicalAdapter` (system `xml130`) over the folder of QĐ 130 claim files a hospital already
 * produces for VSS (docs/architecture.md §4). `start()` reads every file, HOSO by HOSO, into an in-memory
 * index; then it follows the folder (fs.watch with a debounce, plus a periodic rescan) and
 * re-reads new and changed files and drops deleted ones, without a restart. A changed file is
 * read in full before the index is rebuilt and swapped in one step, so a query sees either the
 * file's old contribution or its new one, never a mix. Logs carry counts, file names and codes.
 */
export class Xml130Adapter implements ClinicalAdapter {
  readonly system = 'xml130';

  private index = Xml130Index.EMPTY;
  private readonly files = new Map<string, FileState>();
  private readonly logger: Logger;
  private watcher: FolderWatcher | null = null;
  private chain: Promise<void> = Promise.resolve();
  private queued: Promise<void> | null = null;
  private scans = 0;
  private replacedMaLk = 0;
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
    return this.index.findPatients(lookup);
  }

  async loadResources<K extends ClinicalResourceKind>(kind: K, patientLocalIds: readonly string[]): Promise<readonly PatientResource<K>[]> {
    return this.index.resources(kind, patientLocalIds);
  }

  /** The registration feed from the claim files' modification times (Xml130Index.patientsChangedSince). */
  async patientsChangedSince(since: string, first: number, after: PatientChangeCursor | null): Promise<PatientChangePage> {
    return this.index.patientsChangedSince(since, first, after);
  }

  async diagnosisCounts(filter: AnalyticsFilter): Promise<readonly DiagnosisCount[]> {
    return this.index.diagnosisCounts(filter);
  }

  async encounterCount(filter: AnalyticsFilter): Promise<number> {
    return this.index.encounterCount(filter);
  }

  async population(query: PopulationQuery, pseudonymOf: (basis: PseudonymBasis) => string): Promise<readonly PopulationRow[]> {
    return this.index.population(query, pseudonymOf, this.options.facility.code);
  }

  stats(): Xml130Stats {
    let rejectedHoso = 0;
    let problems = 0;
    for (const { summary } of this.files.values()) {
      rejectedHoso += summary.rejected;
      problems += summary.problemCount;
    }
    return { files: this.files.size, hoso: this.index.hosoCount, rejectedHoso, problems, patients: this.index.patientCount, scans: this.scans, replacedMaLk: this.replacedMaLk };
  }

  /** What each file gave at its last reading, problems included, by path. */
  fileSummaries(): readonly Xml130FileSummary[] {
    return [...this.files.values()].map((state) => state.summary).sort((a, b) => (a.path < b.path ? -1 : 1));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.watcher?.close();
    this.watcher = null;
    await this.chain;
  }

  private async scan(): Promise<void> {
    if (this.closed) return;
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
    for (const path of [...this.files.keys()]) {
      if (!present.has(path)) {
        this.files.delete(path);
        changed = true;
        this.logger.info('xml130.file_removed', { file: this.nameOf(path) });
      }
    }
    for (const entry of listing) {
      const known = this.files.get(entry.path);
      if (known && known.entry.size === entry.size && known.entry.mtimeMs === entry.mtimeMs) continue;
      if (this.closed) return;
      this.files.set(entry.path, await this.read(entry));
      changed = true;
    }
    this.scans += 1;
    if (!changed) return;
    this.index = Xml130Index.build([...this.files.values()].map((s) => ({ path: s.entry.path, mtimeMs: s.entry.mtimeMs, hoso: s.hoso })));
    this.reportDuplicates();
    const stats = this.stats();
    this.logger.info('xml130.indexed', { ...stats, replacedHoso: this.index.replacedHoso, ms: Math.round(performance.now() - started) });
  }

  private async read(entry: FolderEntry): Promise<FileState> {
    const hoso: Xml130Hoso[] = [];
    const summary = await readXml130File(entry.path, {
      limits: this.options.config.limits,
      expectedFacilityCode: this.options.facility.code,
      onHoso: (item) => hoso.push(item),
    });
    const fields = { file: this.nameOf(entry.path), hoso: summary.hoso, rejectedHoso: summary.rejected, problems: summary.problemCount };
    if (summary.problemCount > 0) this.logger.warn('xml130.file_problems', fields);
    else this.logger.info('xml130.file_indexed', fields);
    return { entry, summary, hoso };
  }

  /** A MA_LK in two HOSO never collapses into one visit unnoticed: counted, and logged by file. */
  private reportDuplicates(): void {
    const replaced = findDuplicateMaLk([...this.files.values()].map((s) => ({ path: s.entry.path, mtimeMs: s.entry.mtimeMs, maLks: s.hoso.map((h) => h.maLk) })));
    this.replacedMaLk = replaced.length;
    if (replaced.length === 0) return;
    // File names and counts only: MA_LK values stay out of the logs (`xml130 inspect` lists them).
    const files = [...new Set(replaced.map((r) => this.nameOf(r.path)))].sort().slice(0, 20);
    this.logger.warn('xml130.duplicate_ma_lk', { replacedCopies: replaced.length, files });
  }

  private nameOf(path: string): string {
    return relative(this.options.config.folder, path);
  }
}
