import type { Command } from 'commander';

/** One `patient-graph` command or sub-command. */
export interface CliCommand {
  /** Words that select it, e.g. `['supergraph', 'print']`. */
  readonly path: readonly string[];
  /** One line for the list of commands. */
  readonly summary: string;
  /** Declares arguments, options and extra help text on the commander command built for `path`. */
  define(command: Command): void;
  /**
   * Runs with the parsed options (commander's camelCase names) and arguments; resolves to the
   * process exit code. Heavy modules are imported here, not at the top of the file, so `--help`
   * and `--version` do not load the gateway.
   */
  run(input: CliInput, io: CliIo): Promise<number>;
}

export interface CliInput {
  readonly options: Readonly<Record<string, unknown>>;
  readonly args: readonly string[];
}

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** A wrong invocation: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The value of a string option, or undefined when it was not given. */
export function stringOption(input: CliInput, name: string): string | undefined {
  const value = input.options[name];
  return typeof value === 'string' ? value : undefined;
}

/** A TCP port option (0 picks a free one); `fallback` when not given. */
export function portOption(input: CliInput, name: string, fallback: string): number {
  const port = Number(stringOption(input, name) ?? fallback);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--${name} must be a number from 0 to 65535`);
  return port;
}

/**
 * The options as they were written on the command line (`--secret-file`, not commander's
 * `secretFile`): a string value, or `true` for a flag.
 */
export function commandLineOptions(input: CliInput): ReadonlyMap<string, string | true> {
  const options = new Map<string, string | true>();
  for (const [name, value] of Object.entries(input.options)) {
    const written = name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
    if (typeof value === 'string') options.set(written, value);
    else if (value === true) options.set(written, true);
  }
  return options;
}
