import type { GraphQLFormattedError } from 'graphql';
import { isErrorCode } from '../core/errors/errorCodes';
import { PatientGraphError } from '../core/errors/PatientGraphError';
import { redactPhi, type Logger } from '../core/logging/logger';

/** Request-error codes of graphql-js / Apollo Server that describe the caller's mistake. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * The subgraph edge of error normalization (docs/style.md §4): a `PatientGraphError` anywhere in the
 * cause chain keeps its code and details; GraphQL request errors (parse, validation, variable
 * coercion) pass with identifier-shaped values redacted; anything else is an internal failure —
 * logged here, sent as a clean coded message.
 */
export function formatSubgraphError(formatted: GraphQLFormattedError, error: unknown, logger: Logger): GraphQLFormattedError {
  const innermost = innermostError(error);
  const path = formatted.path ? { path: formatted.path } : {};
  if (innermost instanceof PatientGraphError) {
    return { message: innermost.message, ...path, extensions: { ...innermost.details, code: innermost.code } };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && (REQUEST_ERROR_CODES.has(code) || isErrorCode(code))) {
    return { message: redactPhi(formatted.message), ...(formatted.locations ? { locations: formatted.locations } : {}), ...path, extensions: { code } };
  }
  logger.error('subgraph.internal_error', {
    errorName: innermost instanceof Error ? innermost.name : typeof innermost,
    message: innermost instanceof Error ? innermost.message : undefined,
  });
  return { message: 'Internal error in the source; the details are in its log.', ...path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/** graphql-js nests errors (variable coercion wraps the scalar's error twice): follow the chain. */
function innermostError(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 10; depth++) {
    const next = current !== null && typeof current === 'object' && 'originalError' in current ? (current as { originalError?: unknown }).originalError : undefined;
    if (next === undefined || next === null) return current;
    current = next;
  }
  return current;
}
