import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ERROR_CODES } from '../../core/errors/errorCodes';

type LimitErrorCode = 'OPERATION_LIMIT_EXCEEDED' | 'RATE_LIMITED' | 'OPERATION_NOT_ALLOWED';
type Detail = string | number | boolean;

/**
 * A request error of the limits plugins. The HTTP status comes from the one error-code registry
 * (docs/style.md §3); Apollo Server moves `extensions.http` (status and headers) onto the response and
 * removes it from the error the client sees.
 */
export function limitError(
  code: LimitErrorCode,
  message: string,
  details: Readonly<Record<string, Detail>> = {},
  headers: Readonly<Record<string, string>> = {},
): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      ...details,
      code,
      http: { status: ERROR_CODES[code].status, headers: new HeaderMap(Object.entries(headers)) },
    },
  });
}
