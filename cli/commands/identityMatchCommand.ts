import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { matchRecords } from '../../core/matching/matchRecords';
import { parseMatchPair } from '../../core/matching/parseMatchPair';
import { commandLineOptions, UsageError, type CliCommand } from '../CliCommand';

/** Exit code when some lines were bad and skipped (every good line was still answered). */
export const EXIT_BAD_LINES = 3;

/**
 * `patient-graph identity match --input pairs.jsonl`: runs the matcher (core/matching) on each
 * pair, one `{ "id", "a", "b" }` per line, and writes one `{ "id", "decision", "confidence",
 * "agreed" }` line per pair to stdout, in input order, so anyone can evaluate it on their own
 * labelled data (docs/identity.md). A bad line is reported on stderr with its line number (never
 * its content) and skipped; the exit code is 0 when every line was good, 3 when any was skipped.
 * The file is read as a stream: its size does not change the memory used.
 */
export const identityMatchCommand: CliCommand = {
  path: ['identity', 'match'],
  summary: 'match record pairs from a JSON-lines file (one decision per line on stdout)',
  define(command) {
    command.requiredOption('--input <pairs.jsonl | ->', 'one { "id", "a", "b" } pair per line; - for standard input');
  },
  async run(input, io) {
    const flags = commandLineOptions(input);
    const positional = input.args;
    if (positional.length > 0) throw new UsageError(`unexpected argument ${positional[0]}`);
    const inputFile = flags.get('input');
    if (typeof inputFile !== 'string') throw new UsageError('--input <file> is required');
    const stream = inputFile === '-' ? process.stdin : createReadStream(inputFile, { encoding: 'utf8' });
    const opened = new Promise<void>((resolve, reject) => {
      stream.once('error', reject);
      stream.once('readable', () => resolve());
      stream.once('end', () => resolve());
    });
    try {
      await opened;
    } catch (error) {
      io.err(`patient-graph identity match: cannot read ${inputFile}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
      return 1;
    }
    let lineNumber = 0;
    let bad = 0;
    for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
      lineNumber++;
      if (line.trim() === '') continue;
      const parsed = parseMatchPair(line);
      if (!parsed.ok) {
        bad++;
        io.err(`line ${lineNumber}: ${parsed.problem}; skipped`);
        continue;
      }
      const result = matchRecords(parsed.pair.a, parsed.pair.b);
      io.out(JSON.stringify({ id: parsed.pair.id, decision: result.decision, confidence: result.confidence, agreed: result.agreed }));
    }
    if (bad > 0) io.err(`${bad} bad line(s) skipped`);
    return bad > 0 ? EXIT_BAD_LINES : 0;
  },
};
