import type { Command } from 'commander';
import { stringOption, UsageError, type CliInput } from '../CliCommand';

/** Declares `--config <file>` (required) and `--check`, shared by the commands that serve from a config file. */
export function defineConfigOptions(command: Command, what: string): void {
  command
    .requiredOption('--config <file>', `${what} config (YAML; \${ENV} references are expanded)`)
    .option('--check', 'validate the config, print a summary and exit (exit 1 listing every problem, each with its key)');
}

/** The `--config` path. */
export function configPathOf(input: CliInput): string {
  const path = stringOption(input, 'config');
  if (path === undefined) throw new UsageError('--config <file> is required');
  return path;
}
