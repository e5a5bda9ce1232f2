import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateLabelledPairs, type LabelledPairs } from './generateLabelledPairs';

/** Where the committed labelled pair set lives (input of `identity match`, and its labels). */
export const LABELLED_PAIR_DIR = join(__dirname, '..', '..', 'test', 'fixtures', 'identity');
export const PAIRS_FILE = 'pairs.jsonl';
export const LABELS_FILE = 'labels.jsonl';

/** The pair file (exactly what `patient-graph identity match --input` reads) and the label file. */
export function labelledPairFileContents(set: LabelledPairs): { pairs: string; labels: string } {
  return {
    pairs: set.pairs.map((p) => JSON.stringify(p)).join('\n') + '\n',
    labels: set.labels.map((l) => JSON.stringify(l)).join('\n') + '\n',
  };
}

/** `npm run identity:pairs`: regenerates the committed labelled pair set. */
if (require.main === module) {
  const files = labelledPairFileContents(generateLabelledPairs());
  mkdirSync(LABELLED_PAIR_DIR, { recursive: true });
  writeFileSync(join(LABELLED_PAIR_DIR, PAIRS_FILE), files.pairs);
  writeFileSync(join(LABELLED_PAIR_DIR, LABELS_FILE), files.labels);
  process.stdout.write(`wrote ${LABELLED_PAIR_DIR}\n`);
}
