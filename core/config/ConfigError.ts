/**
 * A configuration problem, naming the key and what was expected, e.g.
 * `hospital.yaml: adapter.connection.url: expected a postgres:// or mysql:// URL, got a number`.
 * Raised at start-up; the process exits with the message, never with a stack trace.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly key: string,
    readonly expectation: string,
    readonly file?: string,
  ) {
    super(`${file ? `${file}: ` : ''}${key}: ${expectation}`);
  }
}
