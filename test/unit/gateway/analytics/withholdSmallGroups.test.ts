import fc from 'fast-check';
import { withholdSmallGroups, type QuasiIdentifiedRow } from '../../../../gateway/analytics/withholdSmallGroups';

function rows(count: number, person: (i: number) => string, values: Partial<QuasiIdentifiedRow> = {}): QuasiIdentifiedRow[] {
  return Array.from({ length: count }, (_, i) => ({ person: person(i), ageBand: '40-44', sex: 'female', province: '01', encounterClass: 'AMBULATORY', icd10Codes: ['E11'], period: '2025-03', ...values }));
}

const quasiIdentifiers = ['ageBand', 'sex', 'province', 'encounterClass', 'icd10Codes', 'period'] as const;

/** Everything released of a row but the person: what its group is. */
function groupOf(row: QuasiIdentifiedRow): string {
  return JSON.stringify(quasiIdentifiers.map((name) => row[name]));
}

describe('withholdSmallGroups: k-anonymity of a cohort page', () => {
  it('releases nothing when the page holds fewer people than the threshold, however many rows', () => {
    const page = rows(40, (i) => `p${i % 9}`);
    expect(withholdSmallGroups(page, 10)).toEqual({ released: [], withheld: 40, reason: 'COHORT_BELOW_THRESHOLD' });
  });

  it('withholds the rows of a group shared by fewer people than the threshold, counted by person not by row', () => {
    const large = rows(12, (i) => `a${i}`);
    // Fifteen rows but only three people: one person's many visits do not make a group safe.
    const fewPeople = rows(15, (i) => `b${i % 3}`, { ageBand: '80-84' });
    const otherCodes = rows(10, (i) => `c${i}`, { icd10Codes: ['E11', 'I10'] });
    const reordered = rows(4, (i) => `d${i}`, { icd10Codes: ['I10', 'E11'] });
    const result = withholdSmallGroups([...large, ...fewPeople, ...otherCodes, ...reordered], 10);
    expect(result.released).toEqual([...large, ...otherCodes]);
    expect(result.withheld).toBe(19);
    expect(result.reason).toBe('GROUP_BELOW_THRESHOLD');
  });

  it('checks the encounter class and the period too: a rare class or month is its own group', () => {
    const large = rows(12, (i) => `a${i}`);
    const rareClass = rows(3, (i) => `a${i}`, { encounterClass: 'EMERGENCY' });
    const rareMonth = rows(2, (i) => `a${i}`, { period: '2025-04' });
    const result = withholdSmallGroups([...large, ...rareClass, ...rareMonth], 10);
    expect(result.released).toEqual(large);
    expect(result.withheld).toBe(5);
  });

  it('leaves every released row in a group of at least the threshold people, and counts every other row withheld (property)', () => {
    const row = fc.record({
      person: fc.constantFrom(...Array.from({ length: 40 }, (_, i) => `p${i}`)),
      ageBand: fc.constantFrom('40-44', '45-49', null),
      sex: fc.constantFrom('male', 'female', null),
      province: fc.constantFrom('01', '79'),
      encounterClass: fc.constantFrom('AMBULATORY', 'INPATIENT'),
      icd10Codes: fc.constantFrom(['E11'], ['I10'], ['E11', 'I10'], []),
      period: fc.constantFrom('2025-03', '2025-04', null),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 150 }), fc.integer({ min: 5, max: 12 }), (page, threshold) => {
        const { released, withheld, reason } = withholdSmallGroups(page, threshold);
        expect(released.length + withheld).toBe(page.length);
        expect(reason === null).toBe(withheld === 0);
        for (const kept of released) {
          expect(new Set(page.filter((r) => groupOf(r) === groupOf(kept)).map((r) => r.person)).size).toBeGreaterThanOrEqual(threshold);
        }
        // Nothing withheld that was safe to release (the check is not stricter than it says).
        const safe = page.filter((r) => new Set(page.filter((o) => groupOf(o) === groupOf(r)).map((o) => o.person)).size >= threshold);
        if (new Set(page.map((r) => r.person)).size >= threshold) expect(released).toEqual(safe);
      }),
      { numRuns: 300 },
    );
  });

  it('answers an empty page with nothing withheld', () => {
    expect(withholdSmallGroups([], 10)).toEqual({ released: [], withheld: 0, reason: null });
  });
});
