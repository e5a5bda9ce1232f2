import type { FormattedExecutionResult, GraphQLFormattedError } from 'graphql';
import { ERROR_CODES } from '../../core/errors/errorCodes';

/**
 * Step 9 for an operation during which a store that decides access (consent, grants) failed: the
 * whole answer becomes that one error, HTTP 503, and no data — not a partial answer whose other
 * parts were decided without the state, and never 200 (docs/security.md). Undefined when no such
 * error is present.
 */
export function withholdOnAccessStateFailure(result: FormattedExecutionResult): { readonly status: number; readonly result: FormattedExecutionResult } | undefined {
  const failure = (result.errors ?? []).find((error) => error.extensions?.code === 'ACCESS_STATE_UNAVAILABLE');
  if (!failure) return undefined;
  const error: GraphQLFormattedError = { message: failure.message, extensions: { code: 'ACCESS_STATE_UNAVAILABLE' } };
  return { status: ERROR_CODES.ACCESS_STATE_UNAVAILABLE.status, result: { errors: [error], data: null } };
}
