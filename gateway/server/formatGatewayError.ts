import type { GraphQLFormattedError } from 'graphql';
import { isErrorCode } from '../../core/errors/errorCodes';
import type { Logger } from '../../core/logging/logger';

/** Apollo Server's own request-error codes, passed to clients as they are. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/**
 * The gateway edge of error normalization: registered codes and GraphQL request errors pass;
 * anything else (a gateway bug, an unexpected library error) is logged and sent as a clean
 * INTERNAL_SERVER_ERROR. Stack traces never leave (includeStacktraceInErrorResponses is off too).
 */
export function formatGatewayError(formatted: GraphQLFormattedError, logger: Logger): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && (isErrorCode(code) || REQUEST_ERROR_CODES.has(code))) {
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  logger.error('gateway.internal_error', { code: typeof code === 'string' ? code : undefined, message: formatted.message });
  return {
    message: 'Internal error in the gateway; the details are in its log.',
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
