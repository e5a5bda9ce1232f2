import { stat } from 'node:fs/promises';
import { socialInsuranceNumberOf } from '../../core/identifiers/insuranceNumber';
import { readXml130File, type Xml130FileSummary } from './readXml130File';
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
 * distinct people (by CCCD, else BHXH code, else MA_BN). Throws only when `target` does not exist.
 */
export async function inspectXml130(target: string, options: InspectOptions = {}): Promise<Xml130InspectReport> {
  const info = await stat(target);
  const paths = info.isDirectory() ? (await scanXml130Folder(target)).map((entry) => entry.path) : [target];
  const people = new Set<string>();
  const files: Xml130InspectedFile[] = [];
  let problems = 0;
  for (const [index, path] of paths.entries()) {
    const summary = await readXml130File(path, {
      limits: options.limits ?? DEFAULT_XML130_LIMITS,
      onHoso: (hoso) => people.add(personKeyOf(hoso.patient)),
    });
    problems += summary.problemCount;
    const unlisted = summary.problemCount - summary.problems.length;
    files.push({
      path,
      hoso: summary.hoso,
      tables: summary.tables,
      problems: unlisted > 0 ? [...summary.problems, { reason: `${unlisted} more problems not listed` }] : summary.problems,
    });
    options.onFile?.(summary, index + 1, paths.length);
  }
  return {
    files,
    totals: { files: files.length, hoso: files.reduce((sum, f) => sum + f.hoso, 0), patients: people.size, problems },
  };
}

/** The strongest identifier a record carries, as the matcher ranks them. */
function personKeyOf(patient: SourcePatient): string {
  if (patient.nationalId) return `cccd:${patient.nationalId}`;
  const bhxh = patient.insuranceNumber ? socialInsuranceNumberOf(patient.insuranceNumber) : undefined;
  return bhxh ? `bhxh:${bhxh}` : `ma-bn:${patient.localId}`;
}
