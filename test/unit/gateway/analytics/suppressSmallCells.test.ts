import fc from 'fast-check';
import { discloseCells, discloseTotal } from '../../../../gateway/analytics/discloseCounts';
import { DEFAULT_DISCLOSURE_POLICY } from '../../../../gateway/analytics/DisclosurePolicy';
import { suppressSmallCells, type CountCell } from '../../../../gateway/analytics/suppressSmallCells';

const cell = (count: number, ...coordinates: string[]): CountCell => ({ coordinates, count });

describe('suppressSmallCells', () => {
  it('suppresses nothing when every count is zero or at least the threshold', () => {
    expect(suppressSmallCells([cell(10, 'E11'), cell(250, 'I10'), cell(0, 'J45')], 10).size).toBe(0);
  });

  it('suppresses a small cell and, so the grand total cannot give it back, the smallest other cell', () => {
    const suppressed = suppressSmallCells([cell(120, 'I10'), cell(3, 'B20'), cell(40, 'J45'), cell(15, 'E11')], 10);
    expect([...suppressed.entries()].sort()).toEqual([
      [1, 'BELOW_THRESHOLD'],
      [3, 'COMPLEMENTARY'],
    ]);
  });

  it('adds complementary cells until the hidden cells of a line add up to the threshold', () => {
    // 1 + 2 = 3 could be read off the total; 1 + 2 + 11 = 14 cannot isolate either small cell.
    const suppressed = suppressSmallCells([cell(1, 'a'), cell(2, 'b'), cell(11, 'c'), cell(90, 'd')], 10);
    expect([...suppressed.keys()].sort()).toEqual([0, 1, 2]);
  });

  it('protects rows and columns of a two-way table', () => {
    // province × sex; the small cell (HN, F) needs a partner in its row and in its column.
    const cells = [cell(4, 'HN', 'F'), cell(50, 'HN', 'M'), cell(30, 'HCM', 'F'), cell(60, 'HCM', 'M')];
    expect([...suppressSmallCells(cells, 10).keys()].sort()).toEqual([0, 1, 2, 3]);
  });
});

/** A table of cells over up to three dimensions with small values, as analysts' group-bys produce. */
const tables = fc
  .integer({ min: 1, max: 3 })
  .chain((dimensions) =>
    fc.uniqueArray(
      fc.record({ coordinates: fc.tuple(...Array.from({ length: dimensions }, () => fc.constantFrom('a', 'b', 'c', 'd'))), count: fc.nat({ max: 40 }) }),
      { minLength: 1, maxLength: 40, selector: (c) => c.coordinates.join('|') },
    ),
  );

function linesOf(cells: readonly CountCell[]): number[][] {
  const dimensions = cells[0]?.coordinates.length ?? 0;
  const lines: number[][] = [];
  for (let d = 0; d < dimensions; d++) {
    const byRest = new Map<string, number[]>();
    cells.forEach((c, i) => {
      const rest = c.coordinates.filter((_, k) => k !== d).join('|');
      byRest.set(rest, [...(byRest.get(rest) ?? []), i]);
    });
    lines.push(...byRest.values());
  }
  return lines;
}

describe('disclosure control (property-based)', () => {
  it('never releases a count from 1 to the threshold, and no total minus released cells isolates a suppressed one', () => {
    fc.assert(
      fc.property(tables, fc.integer({ min: 5, max: 15 }), (cells, threshold) => {
        const released = discloseCells(cells, { threshold, rounding: { method: 'nearest', base: 5 } });
        cells.forEach((c, i) => {
          const out = released[i];
          if (c.count > 0 && c.count < threshold) expect(out?.suppressed).toBe(true);
          if (out?.suppressed) expect(out.count).toBeNull();
          else expect(out?.count === 0 || (out?.count ?? 0) >= 5).toBe(true);
        });
        for (const line of linesOf(cells)) {
          const hidden = line.filter((i) => released[i]?.suppressed);
          if (hidden.length === 0 || hidden.length === line.length) continue;
          // The line's total, minus what is released in it, is the sum of its hidden cells.
          expect(hidden.length).toBeGreaterThanOrEqual(2);
          expect(hidden.reduce((sum, i) => sum + (cells[i]?.count ?? 0), 0)).toBeGreaterThanOrEqual(threshold);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('releases a total only when it is zero or at least the threshold, rounded', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000 }), (n) => {
        const out = discloseTotal(n, DEFAULT_DISCLOSURE_POLICY);
        if (n > 0 && n < 10) expect(out).toEqual({ count: null, suppressed: true, suppressionReason: 'BELOW_THRESHOLD', roundedTo: 5 });
        else expect(out.count).toBe(Math.floor(n / 5 + 0.5) * 5);
      }),
    );
  });
});
