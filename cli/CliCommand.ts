/** One `patient-graph` sub-command. */
export interface CliCommand {
  /** Words that select it, e.g. `['supergraph', 'print']`. */
  readonly path: readonly string[];
  readonly summary: string;
  readonly usage: string;
  /** Runs with the arguments after the path; resolves to the process exit code. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** A wrong invocation: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
