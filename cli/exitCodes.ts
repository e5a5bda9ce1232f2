/**
 * The exit codes of every `patient-graph` command, for scripts, cron and CI:
 * 0 done (also `--help`, `--version`); 1 failed: invalid config (every problem listed, each with
 * its key), a broken audit chain, an unreadable input, an error while running; 2 wrong invocation:
 * unknown command or option, missing or invalid argument (printed with the usage).
 */
export const EXIT_CODES = { ok: 0, failed: 1, usage: 2 } as const;

export const EXIT_CODES_HELP = [
  'Exit codes:',
  '  0  done (also --help and --version)',
  '  1  failed: invalid config (every problem, each with its key), broken audit chain, unreadable input, run-time error',
  '  2  wrong invocation: unknown command or option, missing or invalid argument',
].join('\n');
