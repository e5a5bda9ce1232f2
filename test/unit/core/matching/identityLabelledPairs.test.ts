import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { matchRecords } from '../../../../core/matching/matchRecords';
import { parseMatchPair, type MatchPair } from '../../../../core/matching/parseMatchPair';
import { evaluateMatcher } from '../../../../demo/identity/evaluateMatcher';
import { generateLabelledPairs, MATCH_ERROR_TYPES, NON_MATCH_TYPES, type PairLabel } from '../../../../demo/identity/generateLabelledPairs';
import { LABELLED_PAIR_DIR, LABELS_FILE, labelledPairFileContents, PAIRS_FILE } from '../../../../demo/identity/writeLabelledPairFiles';

const pairsText = readFileSync(join(LABELLED_PAIR_DIR, PAIRS_FILE), 'utf8');
const labelsText = readFileSync(join(LABELLED_PAIR_DIR, LABELS_FILE), 'utf8');

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}

describe('the committed labelled pair set (test/fixtures/identity)', () => {
  const pairs: MatchPair[] = lines(pairsText).map((line) => {
    const parsed = parseMatchPair(line);
    if (!parsed.ok) throw new Error(parsed.problem);
    return parsed.pair;
  });
  const labels = lines(labelsText).map((line) => JSON.parse(line) as PairLabel);
  const decisions = pairs.map((p) => matchRecords(p.a, p.b).decision);
  const evaluation = evaluateMatcher(labels, decisions);

  it('is what the generator makes from the demo population (regenerate with npm run identity:pairs)', () => {
    const fresh = labelledPairFileContents(generateLabelledPairs());
    expect(fresh.pairs).toBe(pairsText);
    expect(fresh.labels).toBe(labelsText);
  });

  it('labels every pair, in the same order, with every error type of issue 12', () => {
    expect(labels.map((l) => l.id)).toEqual(pairs.map((p) => p.id));
    expect(new Set(labels.map((l) => l.type))).toEqual(new Set([...MATCH_ERROR_TYPES, ...NON_MATCH_TYPES]));
  });

  it('reaches precision ≥ 0.995 at recall ≥ 0.98 over MATCH + POSSIBLE_MATCH', () => {
    expect(evaluation.recall).toBeGreaterThanOrEqual(0.98);
    expect(evaluation.precision).toBeGreaterThanOrEqual(0.995);
  });

  it('decides at least 80 % of the true matches MATCH, without review', () => {
    expect(evaluation.automaticShare).toBeGreaterThanOrEqual(0.8);
    expect(evaluation.matchPrecision).toBeGreaterThanOrEqual(0.999);
  });

  it('never merges twins, diacritic twins (Hùng / Hưng) or namesakes born the same year in the same province', () => {
    for (const type of NON_MATCH_TYPES) expect(evaluation.byType.get(type)?.match).toBe(0);
  });
});
