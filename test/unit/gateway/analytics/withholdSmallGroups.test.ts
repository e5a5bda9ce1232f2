import { withholdSmallGroups, type QuasiIdentifiedRow } from '../../../../gateway/analytics/withholdSmallGroups';

function rows(count: number, person: (i: number) => string, values: Partial<QuasiIdentifiedRow> = {}): QuasiIdentifiedRow[] {
  return Array.from({ length: count }, (_, i) => ({ person: person(i), ageBand: '40-44', sex: 'female', province: '01', icd10Codes: ['E11'], ...values }));
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

  it('leaves every released row in a group of at least the threshold (random pages)', () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 200; round += 1) {
      const threshold = 5 + random(6);
      const page = Array.from({ length: random(120) }, () => ({
        person: `p${random(60)}`,
        ageBand: ['40-44', '45-49'][random(2)] ?? null,
        sex: ['male', 'female'][random(2)] ?? null,
        province: ['01', '79'][random(2)] ?? '01',
        icd10Codes: [['E11'], ['I10'], ['E11', 'I10']][random(3)] ?? [],
      }));
      const { released, withheld } = withholdSmallGroups(page, threshold);
      expect(released.length + withheld).toBe(page.length);
      for (const row of released) {
        const sameGroup = page.filter((r) => r.ageBand === row.ageBand && r.sex === row.sex && r.province === row.province && r.icd10Codes.join() === row.icd10Codes.join());
        expect(new Set(sameGroup.map((r) => r.person)).size).toBeGreaterThanOrEqual(threshold);
      }
    }
  });

  it('answers an empty page with nothing withheld', () => {
    expect(withholdSmallGroups([], 10)).toEqual({ released: [], withheld: 0, reason: null });
  });
});
