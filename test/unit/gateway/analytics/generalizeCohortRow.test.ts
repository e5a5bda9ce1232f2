import fc from 'fast-check';
import { COHORT_DETAILS, parseCohortDetail, type CohortDetail } from '../../../../gateway/analytics/CohortDetail';
import { generalizeCohortRow, UNCLASSIFIED_CODE, type GeneralizedCohortRow } from '../../../../gateway/analytics/generalizeCohortRow';
import type { SourceCohortRow } from '../../../../gateway/analytics/CohortRow';
import { withholdSmallGroups } from '../../../../gateway/analytics/withholdSmallGroups';

const row: SourceCohortRow = {
  networkPseudonym: 'n1',
  place: '7',
  month: '2025-08',
  ageBand: '45-49',
  sex: 'FEMALE',
  province: '79',
  encounterClass: 'AMBULATORY',
  icd10Codes: ['E11.9', 'I10', 'E11.2', 'I10'],
};

describe('generalizeCohortRow: codes, age band and period coarsened together', () => {
  it('keeps a CODES row as the source sent it, its period the month', () => {
    expect(generalizeCohortRow(row, 'CODES')).toEqual({
      networkPseudonym: 'n1', ageBand: '45-49', sex: 'FEMALE', province: '79', encounterClass: 'AMBULATORY',
      icd10Codes: ['E11.9', 'I10', 'E11.2', 'I10'], period: '2025-08', month: '2025-08',
    });
  });

  it('gives categories (main first, the others once each, sorted), a ten-year band and the quarter at CATEGORY', () => {
    expect(generalizeCohortRow({ ...row, icd10Codes: ['I10', 'E11.9', 'A09', 'I10.0', 'not a code'] }, 'CATEGORY')).toMatchObject({
      ageBand: '40-49', icd10Codes: ['I10', 'A09', 'E11', UNCLASSIFIED_CODE], period: '2025-Q3', month: null,
    });
  });

  it('gives the main diagnosis chapter only, a twenty-year band and the year at CHAPTER', () => {
    expect(generalizeCohortRow(row, 'CHAPTER')).toMatchObject({ ageBand: '40-59', icd10Codes: ['IV'], period: '2025', month: null });
    expect(generalizeCohortRow({ ...row, icd10Codes: [] }, 'CHAPTER').icd10Codes).toEqual([]);
    expect(generalizeCohortRow({ ...row, icd10Codes: ['???'] }, 'CHAPTER').icd10Codes).toEqual([UNCLASSIFIED_CODE]);
  });

  it.each([
    ['0-4', '0-9', '0-19'], ['15-19', '10-19', '0-19'], ['20-24', '20-29', '20-39'], ['75-79', '70-79', '60-79'],
    ['80-84', '80+', '80+'], ['85+', '80+', '80+'],
  ])('widens the band %s to %s and %s', (band, ten, twenty) => {
    expect(generalizeCohortRow({ ...row, ageBand: band }, 'CATEGORY').ageBand).toBe(ten);
    expect(generalizeCohortRow({ ...row, ageBand: band }, 'CHAPTER').ageBand).toBe(twenty);
  });

  it('releases an unknown age or month as unknown, and never a malformed one at the coarser levels', () => {
    for (const detail of ['CATEGORY', 'CHAPTER'] as const) {
      expect(generalizeCohortRow({ ...row, ageBand: null, month: null }, detail)).toMatchObject({ ageBand: null, period: null, month: null });
      expect(generalizeCohortRow({ ...row, ageBand: 'old', month: '2025-8-1' }, detail)).toMatchObject({ ageBand: null, period: null });
    }
  });

  it('is a chain: each level is a function of the one before it, so a coarser level never withholds more (property)', () => {
    const sourceRow = fc.record({
      networkPseudonym: fc.constantFrom(...Array.from({ length: 30 }, (_, i) => `p${i}`)),
      place: fc.constant('x'),
      month: fc.constantFrom('2025-01', '2025-02', '2025-05', '2025-11', null),
      ageBand: fc.constantFrom('40-44', '45-49', '50-54', '80-84', '85+', null),
      sex: fc.constantFrom('MALE', 'FEMALE'),
      province: fc.constantFrom('01', '79'),
      encounterClass: fc.constantFrom('AMBULATORY', 'INPATIENT'),
      icd10Codes: fc.array(fc.constantFrom('E11.9', 'E11.2', 'E10', 'I10', 'J06.9', 'J45'), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.array(sourceRow, { maxLength: 120 }), fc.integer({ min: 5, max: 10 }), (page, threshold) => {
        const released = (detail: CohortDetail): number =>
          withholdSmallGroups(page.map((r) => ({ ...generalizeCohortRow(r, detail), person: r.networkPseudonym })), threshold).released.length;
        expect(released('CATEGORY')).toBeGreaterThanOrEqual(released('CODES'));
        expect(released('CHAPTER')).toBeGreaterThanOrEqual(released('CATEGORY'));
        // The coarser row is determined by the finer one: rows equal at one level are equal at the next.
        for (const [finer, coarser] of [['CODES', 'CATEGORY'], ['CATEGORY', 'CHAPTER']] as const) {
          const seen = new Map<string, string>();
          for (const r of page) {
            const key = quasiText(generalizeCohortRow(r, finer));
            const next = quasiText(generalizeCohortRow(r, coarser));
            expect(seen.get(key) ?? next).toBe(next);
            seen.set(key, next);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('reads the argument: CODES by default, a level by name, anything else BAD_USER_INPUT', () => {
    expect(parseCohortDetail(undefined)).toBe('CODES');
    expect(parseCohortDetail(null)).toBe('CODES');
    for (const detail of COHORT_DETAILS) expect(parseCohortDetail(detail)).toBe(detail);
    for (const bad of ['chapter', 'BLOCK', 3, ['CHAPTER']]) {
      let thrown: unknown;
      try {
        parseCohortDetail(bad);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toMatchObject({ code: 'BAD_USER_INPUT' });
    }
  });
});

function quasiText(row: GeneralizedCohortRow): string {
  return JSON.stringify([row.ageBand, row.sex, row.province, row.encounterClass, row.icd10Codes, row.period]);
}
