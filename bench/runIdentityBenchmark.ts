import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { matchRecords, type MatchDecision } from '../core/matching/matchRecords';
import { parseMatchPair, type MatchPair } from '../core/matching/parseMatchPair';
import { evaluateMatcher, type MatcherEvaluation } from '../demo/identity/evaluateMatcher';
import { MATCH_ERROR_TYPES, NON_MATCH_TYPES, type PairLabel } from '../demo/identity/generateLabelledPairs';
import { LABELLED_PAIR_DIR, LABELS_FILE, PAIRS_FILE } from '../demo/identity/writeLabelledPairFiles';
import { recordBenchmarkResults } from './recordBenchmarkResults';

/**
 * The matcher on the committed labelled pair set (test/fixtures/identity): precision and recall
 * per error type, and pairs matched per second in one process. Results go to bench/RESULTS.md.
 *
 * Run: `npm run bench:identity` (BENCH_SECONDS=3 of matching for the throughput).
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

function readLines(file: string): string[] {
  return readFileSync(join(LABELLED_PAIR_DIR, file), 'utf8').split('\n').filter((l) => l !== '');
}

function loadPairs(): { pairs: MatchPair[]; labels: PairLabel[] } {
  const pairs = readLines(PAIRS_FILE).map((line, i) => {
    const parsed = parseMatchPair(line);
    if (!parsed.ok) throw new Error(`${PAIRS_FILE} line ${i + 1}: ${parsed.problem}`);
    return parsed.pair;
  });
  return { pairs, labels: readLines(LABELS_FILE).map((l) => JSON.parse(l) as PairLabel) };
}

function throughput(pairs: readonly MatchPair[]): number {
  let matched = 0;
  const start = performance.now();
  const deadline = start + SECONDS * 1000;
  while (performance.now() < deadline) {
    for (const pair of pairs) matchRecords(pair.a, pair.b);
    matched += pairs.length;
  }
  return matched / ((performance.now() - start) / 1000);
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)} %`;
}

function table(evaluation: MatcherEvaluation): string {
  const order: readonly string[] = [...MATCH_ERROR_TYPES, ...NON_MATCH_TYPES];
  const sorted = [...evaluation.byType].sort(([x], [y]) => order.indexOf(x) - order.indexOf(y));
  const rows = sorted.map(([type, c]) => {
    const linked = c.match + c.possible;
    const recall = c.truth ? percent(linked / c.pairs) : '—';
    const automatic = c.truth ? percent(c.match / c.pairs) : '—';
    const wronglyLinked = c.truth ? '—' : String(linked);
    return `| ${type} | ${c.truth ? 'same person' : 'different people'} | ${c.pairs} | ${c.match} | ${c.possible} | ${c.noMatch} | ${recall} | ${automatic} | ${wronglyLinked} |`;
  });
  return [
    '| pair type | truth | pairs | MATCH | POSSIBLE | NO_MATCH | recall (MATCH+POSSIBLE) | decided MATCH | wrongly linked |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

function main(): void {
  const { pairs, labels } = loadPairs();
  const decisions: MatchDecision[] = pairs.map((p) => matchRecords(p.a, p.b).decision);
  const evaluation = evaluateMatcher(labels, decisions);
  const perSecond = throughput(pairs);
  const date = new Date().toISOString().slice(0, 10);
  recordBenchmarkResults([
    `### Identity matcher on the labelled pair set — ${date}`,
    '',
    `Command: \`BENCH_SECONDS=${SECONDS} npm run bench:identity\` (Node ${process.version}, one process on this 2-core machine). ` +
      `${pairs.length} pairs from test/fixtures/identity (generated from the demo population by demo/identity/generateLabelledPairs.ts; ` +
      'side a as the patient index holds a person, side b as a hospital typed them).',
    '',
    `Over MATCH + POSSIBLE_MATCH: precision ${evaluation.precision.toFixed(4)}, recall ${evaluation.recall.toFixed(4)}. ` +
      `True matches decided MATCH without review: ${percent(evaluation.automaticShare)}; precision of MATCH alone ${evaluation.matchPrecision.toFixed(4)}. ` +
      `Throughput: ${Math.round(perSecond).toLocaleString('en-US')} pairs/s (matchRecords alone, ${SECONDS} s).`,
    '',
    table(evaluation),
    '',
  ].join('\n'));
}

main();
