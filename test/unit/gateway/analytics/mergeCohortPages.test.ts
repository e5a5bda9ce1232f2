import type { SourceCohortRow } from '../../../../gateway/analytics/CohortRow';
import { mergeCohortPages } from '../../../../gateway/analytics/mergeCohortPages';

function row(place: string): SourceCohortRow {
  return { networkPseudonym: `p-${place}`, place, month: '2025-01', ageBand: '40-44', sex: 'female', province: '01', encounterClass: 'AMBULATORY', icd10Codes: ['J06.9'] };
}

/** A source holding rows keyed `<code>-<n>`, n = 0..size-1, answering like cohortPageOf. */
function source(code: string, size: number) {
  const keys = Array.from({ length: size }, (_, i) => `${code}-${String(i).padStart(4, '0')}`);
  return (after: string | null, first: number) => {
    const rest = keys.filter((k) => after === null || k > after);
    const page = rest.slice(0, first);
    return { rows: page.map(row), endPlace: page.at(-1) ?? after, hasNextPage: rest.length > first };
  };
}

describe('mergeCohortPages: each source from its own place, every row exactly once', () => {
  it('takes rows in source order up to `first` and moves each source to its last row taken', () => {
    const merged = mergeCohortPages(
      [
        { facilityCode: 'A', page: { rows: [row('a1'), row('a2')], endPlace: 'a2', hasNextPage: false } },
        { facilityCode: 'B', page: { rows: [row('b1'), row('b2'), row('b3')], endPlace: 'b3', hasNextPage: true } },
        { facilityCode: 'C', page: { rows: [row('c1')], endPlace: 'c1', hasNextPage: false } },
      ],
      {},
      [],
      3,
    );
    expect(merged.rows.map((r) => r.place)).toEqual(['a1', 'a2', 'b1']);
    expect(merged.places).toEqual({ A: 'a2', B: 'b1' });
    expect(merged.done).toEqual(['A']);
    expect(merged.hasNextPage).toBe(true);
  });

  it('keeps a failed source where it was and not done, and moves a source past rows it skipped', () => {
    const merged = mergeCohortPages(
      [
        { facilityCode: 'A', page: null },
        { facilityCode: 'B', page: { rows: [], endPlace: 'b9', hasNextPage: true } },
      ],
      { A: 'a3', B: 'b1' },
      [],
      10,
    );
    expect(merged.rows).toEqual([]);
    expect(merged.places).toEqual({ A: 'a3', B: 'b9' });
    expect(merged.done).toEqual([]);
    expect(merged.hasNextPage).toBe(true);
  });

  it('pages through sources of any sizes and page sizes, returning every row once and then stopping', () => {
    for (const [sizes, first] of [[[0, 5, 12], 4], [[7, 0, 0, 3], 1], [[30, 30], 7], [[1], 1], [[3, 9, 2, 11], 5]] as const) {
      const sources = sizes.map((size, i) => ({ code: String.fromCharCode(65 + i), answer: source(String.fromCharCode(65 + i), size) }));
      let places: Readonly<Record<string, string | null>> = {};
      let done: readonly string[] = [];
      const seen: string[] = [];
      for (let pages = 0; ; pages += 1) {
        expect(pages).toBeLessThan(200);
        const asked = sources.filter((s) => !done.includes(s.code));
        const merged = mergeCohortPages(asked.map((s) => ({ facilityCode: s.code, page: s.answer(places[s.code] ?? null, first) })), places, done, first);
        expect(merged.rows.length).toBeLessThanOrEqual(first);
        seen.push(...merged.rows.map((r) => r.place));
        places = merged.places;
        done = merged.done;
        if (!merged.hasNextPage) break;
      }
      const expected = sources.flatMap((s, i) => Array.from({ length: sizes[i] ?? 0 }, (_, n) => `${s.code}-${String(n).padStart(4, '0')}`));
      expect(seen).toEqual(expected);
    }
  });
});
