import type { GraphQLFormattedError } from 'graphql';
import { isErrorCode } from '../../core/errors/errorCodes';
import type { Logger } from '../../core/logging/logger';

/**
 * Apollo Server's own request-error codes that are not in the registry, and the registered code
 * each is sent as (docs/style.md item 3: nothing else invents a code). The request pipeline
 * refuses these cases before Apollo Server meets them; this is the edge's second line.
 */
const APOLLO_REQUEST_ERROR_CODES: Readonly<Record<string, 'BAD_REQUEST'>> = {
  OPERATION_RESOLUTION_FAILURE: 'BAD_REQUEST',
};

/**
 * The gateway edge of error normalization: registered codes (GraphQL request errors included)
 * pass; Apollo Server's other request errors are sent under their registered code; anything else
 * (a gateway bug, an unexpected library error) is logged and sent as a clean
 * INTERNAL_SERVER_ERROR. Stack traces never leave (includeStacktraceInErrorResponses is off too).
 */
export function formatGatewayError(formatted: GraphQLFormattedError, logger: Logger): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
  if (isErrorCode(code)) return { ...formatted, extensions };
  const registered = typeof code === 'string' ? APOLLO_REQUEST_ERROR_CODES[code] : undefined;
  if (registered !== undefined) return { ...formatted, extensions: { ...extensions, code: registered } };
  logger.error('gateway.internal_error', { code: typeof code === 'string' ? code : undefined, message: formatted.message });
  return {
    message: 'Internal error in the gateway; the details are in its log.',
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
