/**
 * A statement outlived its deadline on the client side (drivers that cannot have the server cancel
 * it, such as PGlite). The adapter reports it as SOURCE_TIMEOUT, like a server-side statement
 * timeout.
 */
export class StatementDeadlineError extends Error {
  override readonly name = 'StatementDeadlineError';

  constructor(readonly timeoutMs: number) {
    super(`the statement did not finish within ${timeoutMs} ms`);
  }
}
