import type { GraphQLRequest } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import { sha256Hex } from '../../core/crypto/sha256Hex';
import { requestError } from './requestError';

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/**
 * Checks the automatic-persisted-query extension (Apollo APQ, `extensions.persistedQuery`) before
 * Apollo Server reads it: Apollo answers a hash mismatch and an unknown version with errors that
 * carry no code, which the gateway's error edge could only call INTERNAL_SERVER_ERROR. Returns the
 * caller's mistake, or null when the request may go on (an unknown hash stays Apollo's
 * PERSISTED_QUERY_NOT_FOUND: that is the protocol asking for the text, not an error).
 */
export function checkPersistedQuery(request: GraphQLRequest): GraphQLError | null {
  if (!request.extensions || !('persistedQuery' in request.extensions)) return null;
  const persisted: unknown = request.extensions.persistedQuery;
  if (typeof persisted !== 'object' || persisted === null || Array.isArray(persisted)) {
    return requestError('BAD_REQUEST', 'extensions.persistedQuery must be an object { version: 1, sha256Hash }.');
  }
  const { version, sha256Hash } = persisted as Record<string, unknown>;
  if (version !== 1) return requestError('BAD_REQUEST', 'Only version 1 of persisted queries is supported (extensions.persistedQuery.version).');
  if (typeof sha256Hash !== 'string' || !HEX_SHA256.test(sha256Hash)) {
    return requestError('BAD_REQUEST', 'extensions.persistedQuery.sha256Hash must be the SHA-256 of the query text, 64 lowercase hex digits.');
  }
  if (request.query !== undefined && sha256Hex(request.query) !== sha256Hash) {
    return requestError('PERSISTED_QUERY_HASH_MISMATCH', 'extensions.persistedQuery.sha256Hash is not the SHA-256 of the query text sent with it.');
  }
  return null;
}
