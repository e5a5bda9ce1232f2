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

/** What the client reads of a source's internal failure (its own text may name a patient). */
export const SOURCE_INTERNAL_ERROR_MESSAGE = 'A source failed internally; the details are in the gateway log under this trace id, and in the source’s own log.';
const GATEWAY_INTERNAL_ERROR_MESSAGE = 'Internal error in the gateway; the details are in its log.';

/**
 * The gateway edge of error normalization: registered codes (GraphQL request errors included)
 * pass; Apollo Server's other request errors are sent under their registered code; anything else
 * (a gateway bug, an unexpected library error) is logged and sent as a clean
 * INTERNAL_SERVER_ERROR. An INTERNAL_SERVER_ERROR keeps only its code and the facility (and the
 * subgraph) that raised it: its text — a source's own, which may hold a patient's name, an ID or
 * the source's internals — is replaced, and goes to the log scrubbed (traceInternalErrors.ts).
 * Stack traces never leave (includeStacktraceInErrorResponses is off too).
 */
export function formatGatewayError(formatted: GraphQLFormattedError, logger: Logger): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
  if (code === 'INTERNAL_SERVER_ERROR') return internalServerError(formatted, extensions);
  if (isErrorCode(code)) return { ...formatted, extensions };
  const registered = typeof code === 'string' ? APOLLO_REQUEST_ERROR_CODES[code] : undefined;
  if (registered !== undefined) return { ...formatted, extensions: { ...extensions, code: registered } };
  logger.error('gateway.internal_error', { code: typeof code === 'string' ? code : undefined, message: formatted.message });
  return {
    message: GATEWAY_INTERNAL_ERROR_MESSAGE,
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}

function internalServerError(formatted: GraphQLFormattedError, extensions: Readonly<Record<string, unknown>>): GraphQLFormattedError {
  const { facilityCode, serviceName } = extensions;
  const fromSource = typeof facilityCode === 'string';
  return {
    message: fromSource ? SOURCE_INTERNAL_ERROR_MESSAGE : GATEWAY_INTERNAL_ERROR_MESSAGE,
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: {
      code: 'INTERNAL_SERVER_ERROR',
      ...(fromSource ? { facilityCode } : {}),
      ...(typeof serviceName === 'string' ? { serviceName } : {}),
    },
  };
}
