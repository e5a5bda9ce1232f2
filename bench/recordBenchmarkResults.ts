import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FILE = join(__dirname, 'RESULTS.md');
const HEADER = '# Benchmark results\n\nEach section: what ran, the command, the numbers. Newest first.\n\n';

/** Prints a benchmark's section and puts it first in bench/RESULTS.md (newest first). */
export function recordBenchmarkResults(section: string): void {
  process.stdout.write(`${section}\n`);
  const previous = existsSync(FILE) ? readFileSync(FILE, 'utf8').replace(HEADER, '') : '';
  writeFileSync(FILE, `${HEADER}${section}\n${previous}`);
}
