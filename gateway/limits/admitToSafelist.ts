import type { GraphQLRequest } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import type { Logger } from '../../core/logging/logger';
import { requestError } from '../pipeline/requestError';
import type { OperationSafelist } from './OperationSafelist';
import { isRejectedBeforeParsing, rejectBeforeParsing } from './rejectBeforeParsing';
import { sha256Hex } from '../../core/crypto/sha256Hex';

/**
 * - `off`: every operation runs; registered ones may still be sent by id alone.
 * - `enforce`: only registered operations run; anything else is OPERATION_NOT_ALLOWED (HTTP 403).
 */
export type SafelistMode = 'off' | 'enforce';

const HEX_SHA256 = /^(sha256:)?[0-9a-f]{64}$/;

/**
 * Persisted-operation mode (docs/architecture.md §6), the request pipeline's first check of a
 * text (§9): a client names a registered operation by `extensions.persistedQuery.sha256Hash`
 * (Apollo APQ / persisted queries, no `query`), by `documentId` (GraphQL-over-HTTP persisted
 * documents, body or GET parameter), or sends its full text; the body then comes from the
 * safelist, never from the client or Apollo's APQ cache. Fills in the body of a registered
 * operation named by id; in `enforce` mode returns the refusal of anything unregistered, and the
 * request is set aside with `rejectBeforeParsing`, so it costs no parsing, planning, source or APQ
 * cache entry.
 */
export function admitToSafelist(request: GraphQLRequest, safelist: OperationSafelist, mode: SafelistMode, logger: Logger | undefined): GraphQLError | null {
  if (isRejectedBeforeParsing(request)) return null;
  if (request.query === undefined) {
    const id = requestedId(request);
    if (id === undefined) return null; // Apollo answers "must contain a non-empty query" (400).
    const operation = safelist.byId(id);
    if (operation) {
      request.query = operation.body;
      // The body is now in hand: Apollo's own APQ handling (off, or a cache) has nothing to add.
      if (request.extensions && 'persistedQuery' in request.extensions) {
        const { persistedQuery: _persistedQuery, ...rest } = request.extensions;
        request.extensions = rest;
      }
      return null;
    }
    if (mode === 'off') return null; // Apollo's APQ cache may know it, or answers PERSISTED_QUERY_NOT_FOUND.
    rejectBeforeParsing(request);
    return notAllowed(HEX_SHA256.test(id) ? id.replace(/^sha256:/, '') : undefined);
  }
  if (safelist.byText(request.query)) return null;
  const id = sha256Hex(request.query);
  if (mode === 'off') {
    logger?.info('safelist.unregistered_operation', { operationId: id, operationName: request.operationName ?? null });
    return null;
  }
  rejectBeforeParsing(request);
  return notAllowed(id);
}

/** The id a request names without sending a text, if any. */
function requestedId(request: GraphQLRequest): string | undefined {
  const persistedQuery: unknown = request.extensions?.persistedQuery;
  if (isRecord(persistedQuery) && typeof persistedQuery.sha256Hash === 'string') return persistedQuery.sha256Hash;
  const body: unknown = request.http?.body;
  if (isRecord(body) && typeof body.documentId === 'string') return body.documentId;
  const fromSearch = request.http ? new URLSearchParams(request.http.search).get('documentId') : null;
  return fromSearch ?? undefined;
}

function notAllowed(operationId: string | undefined): GraphQLError {
  return requestError(
    'OPERATION_NOT_ALLOWED',
    'This gateway runs only registered operations, and this operation is not in its safelist.',
    operationId ? { operationId } : {},
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
