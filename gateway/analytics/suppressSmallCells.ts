/** Why a cell's count is not released. */
export type SuppressionReason =
  /** Its count is above zero and below the threshold: it could single people out. */
  | 'BELOW_THRESHOLD'
  /**
   * Its count is safe, but releasing it would let a suppressed cell be recovered by subtracting
   * the released cells from a total the analyst can ask for (complementary suppression).
   */
  | 'COMPLEMENTARY';

/** One cell of an aggregate table: its value on each grouping dimension, and its count. */
export interface CountCell {
  readonly coordinates: readonly string[];
  readonly count: number;
}

/**
 * Which cells of a table must not be released, and why (index → reason).
 *
 * Primary: every count from 1 to `threshold - 1`. Complementary: a "line" is the set of cells that
 * agree on every dimension but one; its total is itself a releasable aggregate (the same question
 * grouped by one dimension less). In every line that holds a suppressed cell, the suppressed cells
 * must add up to at least `threshold` — so that total minus released cells never gives a small
 * number, and a single suppressed cell is never alone — unless the whole line is suppressed. The
 * smallest released cell of the line is suppressed until that holds, and lines are re-checked until
 * nothing changes (a cell suppressed for one line may open another). A table grouped by one
 * dimension is one line whose total is the grand total.
 *
 * Pure and deterministic: ties between equal counts go to the earlier cell.
 */
export function suppressSmallCells(cells: readonly CountCell[], threshold: number): Map<number, SuppressionReason> {
  const suppressed = new Map<number, SuppressionReason>();
  cells.forEach((cell, index) => {
    if (cell.count > 0 && cell.count < threshold) suppressed.set(index, 'BELOW_THRESHOLD');
  });
  if (suppressed.size === 0) return suppressed;

  const lines = linesOf(cells);
  let changed = true;
  while (changed) {
    changed = false;
    for (const line of lines) {
      if (protectLine(line, cells, threshold, suppressed)) changed = true;
    }
  }
  return suppressed;
}

/** Adds complementary suppressions to one line; true when it added any. */
function protectLine(line: readonly number[], cells: readonly CountCell[], threshold: number, suppressed: Map<number, SuppressionReason>): boolean {
  let added = false;
  for (;;) {
    const hidden = line.filter((index) => suppressed.has(index));
    if (hidden.length === 0) return added;
    const hiddenSum = hidden.reduce((sum, index) => sum + (cells[index]?.count ?? 0), 0);
    if (hidden.length >= 2 && hiddenSum >= threshold) return added;
    const candidate = smallestReleased(line, cells, suppressed);
    if (candidate === undefined) return added;
    suppressed.set(candidate, 'COMPLEMENTARY');
    added = true;
  }
}

function smallestReleased(line: readonly number[], cells: readonly CountCell[], suppressed: ReadonlyMap<number, SuppressionReason>): number | undefined {
  let best: number | undefined;
  for (const index of line) {
    if (suppressed.has(index)) continue;
    if (best === undefined || (cells[index]?.count ?? 0) < (cells[best]?.count ?? 0)) best = index;
  }
  return best;
}

/** Every line of the table: cells grouped by all coordinates but one, for each dimension. */
function linesOf(cells: readonly CountCell[]): number[][] {
  const dimensions = cells[0]?.coordinates.length ?? 0;
  if (dimensions === 0) return [cells.map((_, index) => index)];
  const lines: number[][] = [];
  for (let dimension = 0; dimension < dimensions; dimension++) {
    const byRest = new Map<string, number[]>();
    cells.forEach((cell, index) => {
      const rest = JSON.stringify(cell.coordinates.filter((_, d) => d !== dimension));
      const line = byRest.get(rest);
      if (line) line.push(index);
      else byRest.set(rest, [index]);
    });
    lines.push(...byRest.values());
  }
  return lines;
}
