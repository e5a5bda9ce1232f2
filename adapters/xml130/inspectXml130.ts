import { stat } from 'node:fs/promises';
import { socialInsuranceNumberOf } from '../../core/identifiers/insuranceNumber';
import { findDuplicateMaLk, type MaLkOccurrences } from './findDuplicateMaLk';
import { MAX_LISTED_PROBLEMS, readXml130File, type Xml130FileSummary } from './readXml130File';
import { scanXml130Folder } from './scanXml130Folder';
import type { SourcePatient } from '../sdk/ClinicalAdapter';
import { DEFAULT_XML130_LIMITS, type Xml130Limits } from './Xml130Limits';
import type { Xml130Problem } from './Xml130Problem';

/** One file in an inspection report. */
export interface Xml130InspectedFile {
  readonly path: string;
  /** HOSO read whole. */
  readonly hoso: number;
  /** Inner documents per table of those HOSO. */
  readonly tables: Readonly<Record<string, number>>;
  readonly problems: readonly Xml130Problem[];
}

/** What `patient-graph xml130 inspect` prints. */
export interface Xml130InspectReport {
  readonly files: readonly Xml130InspectedFile[];
  readonly totals: { readonly files: number; readonly hoso: number; readonly patients: number; readonly problems: number };
}

export interface InspectOptions {
  readonly limits?: Xml130Limits;
  /** Called after each file (progress for a long folder). */
  readonly onFile?: (summary: Xml130FileSummary, done: number, total: number) => void;
}

/**
 * Reads a claim file or a folder of them as the adapter would (same reader, same limits) and
 * reports what it found, keeping only counts: HOSO read whole, tables, problems, and the number of
 * distinct people (by CCCD, else BHXH code, else MA_BN). A MA_LK held by more than one HOSO is a
 * problem of every copy that is not used, naming the file whose copy is (`findDuplicateMaLk`).
 * Throws only when `target` does not exist.
 */
export async function inspectXml130(target: string, options: InspectOptions = {}): Promise<Xml130InspectReport> {
  const info = await stat(target);
  const entries = info.isDirectory() ? await scanXml130Folder(target) : [{ path: target, mtimeMs: info.mtimeMs }];
  const people = new Set<string>();
  const read: { summary: Xml130FileSummary; occurrences: MaLkOccurrences }[] = [];
  for (const [index, entry] of entries.entries()) {
    const maLks: string[] = [];
    const summary = await readXml130File(entry.path, {
      limits: options.limits ?? DEFAULT_XML130_LIMITS,
      onHoso: (hoso) => {
        people.add(personKeyOf(hoso.patient));
        maLks.push(hoso.maLk);
      },
    });
    read.push({ summary, occurrences: { path: entry.path, mtimeMs: entry.mtimeMs, maLks } });
    options.onFile?.(summary, index + 1, entries.length);
  }
  const duplicates = new Map<string, Xml130Problem[]>();
  for (const { path, problem } of findDuplicateMaLk(read.map((r) => r.occurrences))) {
    const list = duplicates.get(path) ?? [];
    list.push(problem);
    duplicates.set(path, list);
  }
  let problems = 0;
  const files = read.map(({ summary }): Xml130InspectedFile => {
    const replaced = duplicates.get(summary.path) ?? [];
    problems += summary.problemCount + replaced.length;
    return { path: summary.path, hoso: summary.hoso, tables: summary.tables, problems: listed(summary, replaced) };
  });
  return {
    files,
    totals: { files: files.length, hoso: files.reduce((sum, f) => sum + f.hoso, 0), patients: people.size, problems },
  };
}

/** The file's problems and its replaced copies, at most MAX_LISTED_PROBLEMS listed, the rest counted. */
function listed(summary: Xml130FileSummary, replaced: readonly Xml130Problem[]): readonly Xml130Problem[] {
  const all = [...summary.problems, ...replaced];
  const unlisted = summary.problemCount + replaced.length - Math.min(all.length, MAX_LISTED_PROBLEMS);
  const shown = all.slice(0, MAX_LISTED_PROBLEMS);
  return unlisted > 0 ? [...shown, { reason: `${unlisted} more problems not listed` }] : shown;
}

/** The strongest identifier a record carries, as the matcher ranks them. */
function personKeyOf(patient: SourcePatient): string {
  if (patient.nationalId) return `cccd:${patient.nationalId}`;
  const bhxh = patient.insuranceNumber ? socialInsuranceNumberOf(patient.insuranceNumber) : undefined;
  return bhxh ? `bhxh:${bhxh}` : `ma-bn:${patient.localId}`;
}
