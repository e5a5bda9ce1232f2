import type { Xml130Problem } from './Xml130Problem';

/** The MA_LK one file holds, in file order, and when the file was last changed. */
export interface MaLkOccurrences {
  readonly path: string;
  readonly mtimeMs: number;
  readonly maLks: readonly string[];
}

/** A copy of an episode that another copy replaced: reported on the file that held it. */
export interface ReplacedMaLk {
  /** The file holding the copy that is not used. */
  readonly path: string;
  /** The file holding the copy that is used. */
  readonly keptIn: string;
  readonly problem: Xml130Problem;
}

/**
 * The order in which copies of one episode replace each other, shared by the index and the
 * inspection so both name the same winner: files oldest first (modification time, then path),
 * HOSO in file order; the last copy wins. A claim resubmitted to VSS is a new file with the same
 * MA_LK (QĐ 130 XML1 field 1, the episode's link key), so the most recent file holds the copy
 * the facility last sent.
 */
export function compareFilesForReplacement(a: { readonly path: string; readonly mtimeMs: number }, b: { readonly path: string; readonly mtimeMs: number }): number {
  return a.mtimeMs - b.mtimeMs || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}

/**
 * Every copy of an episode that a later copy (same MA_LK) replaces, so a resubmission or an
 * accidental duplicate never collapses into one visit unreported. Pure.
 */
export function findDuplicateMaLk(files: readonly MaLkOccurrences[]): ReplacedMaLk[] {
  const ordered = [...files].sort(compareFilesForReplacement);
  const winner = new Map<string, string>();
  for (const file of ordered) for (const maLk of file.maLks) winner.set(maLk, file.path);
  const seen = new Map<string, number>();
  const replaced: ReplacedMaLk[] = [];
  const total = new Map<string, number>();
  for (const file of ordered) for (const maLk of file.maLks) total.set(maLk, (total.get(maLk) ?? 0) + 1);
  for (const file of ordered) {
    for (const maLk of file.maLks) {
      const index = (seen.get(maLk) ?? 0) + 1;
      seen.set(maLk, index);
      if (index === total.get(maLk)) continue; // the last copy is the one used
      const keptIn = winner.get(maLk) ?? file.path;
      const where = keptIn === file.path ? 'later in this file' : `in ${keptIn}`;
      replaced.push({
        path: file.path,
        keptIn,
        problem: { maLk, reason: `MA_LK appears again ${where}; that copy is used (the most recently changed file wins, then the later HOSO) and this one is ignored` },
      });
    }
  }
  return replaced;
}
