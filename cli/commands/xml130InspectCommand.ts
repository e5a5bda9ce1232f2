import { stat } from 'node:fs/promises';
import { DEFAULT_XML130_LIMITS } from '../../adapters/xml130/Xml130Limits';
import { stringOption, UsageError, type CliCommand } from '../CliCommand';

/**
 * `patient-graph xml130 inspect <file-or-folder>`: reads QĐ 130 claim files as the xml130 adapter
 * would and prints one JSON report on stdout (progress on stderr). Problems in the files are part
 * of the report; the exit code is 0 unless the command could not run, or, with
 * `--fail-on-problems` (for CI and cron), 1 when the report holds any problem.
 */
export const xml130InspectCommand: CliCommand = {
  path: ['xml130', 'inspect'],
  summary: 'check QĐ 130 XML claim files (a file or a folder): HOSO, tables, patients, problems as JSON',
  define(command) {
    command
      .usage('<file-or-folder> [options]')
      .argument('<file-or-folder>', 'a QĐ 130 XML file, or a folder of them')
      .option('--max-file-bytes <bytes>', 'skip (and report) files larger than this', String(DEFAULT_XML130_LIMITS.maxFileBytes))
      .option('--fail-on-problems', 'exit 1 when the report holds any problem (for CI and cron)');
  },
  async run(input, io) {
    const target = input.args[0] ?? '';
    const maxFileBytes = Number(stringOption(input, 'maxFileBytes') ?? DEFAULT_XML130_LIMITS.maxFileBytes);
    if (!Number.isSafeInteger(maxFileBytes) || maxFileBytes < 1) throw new UsageError('--max-file-bytes must be a positive whole number');
    const exists = await stat(target).then(() => true, () => false);
    if (!exists) {
      io.err(`patient-graph xml130 inspect: ${target} does not exist`);
      return 1;
    }
    const { inspectXml130 } = await import('../../adapters/xml130/inspectXml130');
    const report = await inspectXml130(target, {
      limits: { ...DEFAULT_XML130_LIMITS, maxFileBytes },
      onFile: (summary, done, total) => {
        if (total > 1) io.err(`[${done}/${total}] ${summary.path}: ${summary.hoso} HOSO, ${summary.problemCount} problem${summary.problemCount === 1 ? '' : 's'}`);
      },
    });
    io.out(JSON.stringify(report, null, 2));
    if (input.options.failOnProblems === true && report.totals.problems > 0) {
      io.err(`patient-graph xml130 inspect: ${report.totals.problems} problem${report.totals.problems === 1 ? '' : 's'} found`);
      return 1;
    }
    return 0;
  },
};
