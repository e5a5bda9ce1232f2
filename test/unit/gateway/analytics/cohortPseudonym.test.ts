import { cohortPseudonym, newQuestionPseudonymKey, projectPseudonymKey } from '../../../../gateway/analytics/cohortPseudonym';

const NETWORK_PSEUDONYMS = ['n0Fq3m2Yd8kQ1x7Vb5cT0a', 'Zp9L2r8sK4u1W6y3e0hJqA', 'c7Hd2Nf5Rk0Ls8Tg3Vm1Xb'];

describe('cohort pseudonyms', () => {
  it('are stable within one question and unrelated across questions', () => {
    const first = newQuestionPseudonymKey();
    const second = newQuestionPseudonymKey();
    const once = NETWORK_PSEUDONYMS.map((p) => cohortPseudonym(first, p));
    expect(NETWORK_PSEUDONYMS.map((p) => cohortPseudonym(first, p))).toEqual(once);
    const other = NETWORK_PSEUDONYMS.map((p) => cohortPseudonym(second, p));
    for (const pseudonym of other) expect(once).not.toContain(pseudonym);
    // Never the network pseudonym itself, which is the same in every question.
    for (const pseudonym of once) expect(NETWORK_PSEUDONYMS).not.toContain(pseudonym);
    expect(new Set(once).size).toBe(NETWORK_PSEUDONYMS.length);
    for (const pseudonym of once) expect(pseudonym).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it("link a person across one project's questions, and not across projects", () => {
    const secret = Buffer.alloc(32, 9);
    const dengue = projectPseudonymKey(secret, 'dengue-2025');
    const again = projectPseudonymKey(secret, 'dengue-2025');
    const diabetes = projectPseudonymKey(secret, 'diabetes-2025');
    const person = NETWORK_PSEUDONYMS[0] ?? '';
    expect(cohortPseudonym(dengue, person)).toBe(cohortPseudonym(again, person));
    expect(cohortPseudonym(dengue, person)).not.toBe(cohortPseudonym(diabetes, person));
  });

  it('refuses a project secret shorter than 32 bytes', () => {
    expect(() => projectPseudonymKey(Buffer.alloc(16, 1), 'p')).toThrow(RangeError);
  });
});
