/**
 * Why an outbound call to a source produced no HTTP answer worth reading:
 * - `timeout`: no complete answer within the deadline (connect, headers and body included);
 * - `unreachable`: the connection failed or was closed before an answer;
 * - `too-large`: the answer grew past the response-size cap (reading stopped there);
 * - `circuit-open`: recent calls kept failing, so this one was not sent;
 * - `overloaded`: too many calls to this source were already in flight or queued.
 * An answer the caller judges unusable is returned, not thrown (it counts against the breaker).
 */
export type SourceCallFailure = 'timeout' | 'unreachable' | 'too-large' | 'circuit-open' | 'overloaded';

/** Thrown by `SourceClient`; the message never contains the source's URL (internal addresses stay in the cause). */
export class SourceCallError extends Error {
  constructor(
    readonly kind: SourceCallFailure,
    message: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SourceCallError';
  }
}
