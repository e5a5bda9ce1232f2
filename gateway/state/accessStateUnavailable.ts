import type { GraphQLFormattedError } from 'graphql';
import { ERROR_CODES } from '../../core/errors/errorCodes';
import { PatientGraphError } from '../../core/errors/PatientGraphError';

/**
 * The one failure of a state store that decides access (consent directives, break-the-glass
 * grants): ACCESS_STATE_UNAVAILABLE, HTTP 503, with the registry's meaning only; the store's own
 * error (a Redis host, a timeout) stays in `cause`, for the server log. Without the state the
 * gateway cannot tell what may be read, so it reads nothing (docs/security.md).
 */
export function accessStateUnavailable(cause: unknown): PatientGraphError {
  if (cause instanceof PatientGraphError && cause.code === 'ACCESS_STATE_UNAVAILABLE') return cause;
  return new PatientGraphError('ACCESS_STATE_UNAVAILABLE', ERROR_CODES.ACCESS_STATE_UNAVAILABLE.meaning, {}, { cause });
}

/** Runs one store operation; any failure becomes ACCESS_STATE_UNAVAILABLE. */
export async function guardAccessState<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (cause) {
    throw accessStateUnavailable(cause);
  }
}

/** The GraphQL error a data source returns when the state behind its access rules failed; undefined for any other error. */
export function accessStateRefusal(error: unknown): GraphQLFormattedError | undefined {
  if (!(error instanceof PatientGraphError) || error.code !== 'ACCESS_STATE_UNAVAILABLE') return undefined;
  return { message: error.message, extensions: { code: error.code } };
}
