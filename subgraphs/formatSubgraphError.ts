import type { GraphQLFormattedError } from 'graphql';
import { isErrorCode } from '../core/errors/errorCodes';
import { PatientGraphError } from '../core/errors/PatientGraphError';
import type { Logger } from '../core/logging/logger';

/**
 * The subgraph edge of error normalization (STYLE.md §4): a `PatientGraphError` keeps its code and
 * details; GraphQL request errors (parse, validation) pass as they are; anything else is an
 * internal failure — logged with its cause here, sent as a clean coded message.
 */
export function formatSubgraphError(formatted: GraphQLFormattedError, error: unknown, logger: Logger): GraphQLFormattedError {
  const original = originalErrorOf(error);
  if (original instanceof PatientGraphError) {
    return { message: original.message, ...(formatted.path ? { path: formatted.path } : {}), extensions: { ...original.details, code: original.code } };
  }
  const code = formatted.extensions?.code;
  if (original === undefined && isRequestErrorCode(code)) {
    return { message: formatted.message, ...(formatted.locations ? { locations: formatted.locations } : {}), extensions: { code } };
  }
  logger.error('subgraph.internal_error', {
    errorName: original instanceof Error ? original.name : typeof original,
    message: original instanceof Error ? original.message : undefined,
  });
  return {
    message: 'Internal error in the source; the details are in its log.',
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}

function originalErrorOf(error: unknown): unknown {
  if (error && typeof error === 'object' && 'originalError' in error) {
    return (error as { originalError?: unknown }).originalError;
  }
  return error;
}

function isRequestErrorCode(code: unknown): code is string {
  return code === 'GRAPHQL_PARSE_FAILED' || code === 'GRAPHQL_VALIDATION_FAILED' || code === 'BAD_USER_INPUT'
    || code === 'PERSISTED_QUERY_NOT_FOUND' || code === 'BAD_REQUEST' || code === 'OPERATION_RESOLUTION_FAILURE'
    || isErrorCode(code);
}
