import type { MatchDecision } from '../../core/matching/matchRecords';
import type { PairLabel } from './generateLabelledPairs';

/** Counts of one pair type, or of all pairs. */
export interface DecisionCounts {
  readonly pairs: number;
  readonly match: number;
  readonly possible: number;
  readonly noMatch: number;
}

export interface MatcherEvaluation {
  /** Over MATCH + POSSIBLE_MATCH: true matches found / all true matches. */
  readonly recall: number;
  /** Over MATCH + POSSIBLE_MATCH: true matches / all pairs decided MATCH or POSSIBLE_MATCH. */
  readonly precision: number;
  /** Precision of MATCH alone (what is merged without review). */
  readonly matchPrecision: number;
  /** Share of true matches decided MATCH (no review needed). */
  readonly automaticShare: number;
  readonly byType: ReadonlyMap<string, DecisionCounts & { readonly truth: boolean }>;
}

/** Precision and recall of decisions against labels (same order), overall and per pair type. */
export function evaluateMatcher(labels: readonly PairLabel[], decisions: readonly MatchDecision[]): MatcherEvaluation {
  if (labels.length !== decisions.length) throw new RangeError('one decision per label');
  let truePositive = 0;
  let falsePositive = 0;
  let trueMatches = 0;
  let automatic = 0;
  let matchFalse = 0;
  const byType = new Map<string, { pairs: number; match: number; possible: number; noMatch: number; truth: boolean }>();
  labels.forEach((label, i) => {
    const decision = decisions[i] as MatchDecision;
    const counts = byType.get(label.type) ?? { pairs: 0, match: 0, possible: 0, noMatch: 0, truth: label.match };
    counts.pairs++;
    if (decision === 'MATCH') counts.match++;
    else if (decision === 'POSSIBLE_MATCH') counts.possible++;
    else counts.noMatch++;
    byType.set(label.type, counts);
    const linked = decision !== 'NO_MATCH';
    if (label.match) {
      trueMatches++;
      if (linked) truePositive++;
      if (decision === 'MATCH') automatic++;
    } else {
      if (linked) falsePositive++;
      if (decision === 'MATCH') matchFalse++;
    }
  });
  return {
    recall: ratio(truePositive, trueMatches),
    precision: ratio(truePositive, truePositive + falsePositive),
    matchPrecision: ratio(automatic, automatic + matchFalse),
    automaticShare: ratio(automatic, trueMatches),
    byType,
  };
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 1 : part / whole;
}
