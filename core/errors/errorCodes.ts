/**
 * The one registry of error codes (docs/style.md §3). Every GraphQL error patient-graph produces
 * carries one of these in `extensions.code`; nothing else invents codes. Messages never contain
 * patient identifiers or names.
 */
export const ERROR_CODES = {
  UNAUTHENTICATED: { status: 401, meaning: 'No valid bearer token (gateway), or no valid request signature (subgraph).' },
  FORBIDDEN: { status: 403, meaning: 'The principal may not read this field or this patient (role, purpose, care relationship, own record only).' },
  CONSENT_DENIED: { status: 200, meaning: 'The patient opted out of sharing this data; it was not fetched.' },
  INVALID_IDENTIFIER: { status: 400, meaning: 'An identifier argument is not well formed (national ID, insurance number, facility code).' },
  BAD_USER_INPUT: { status: 400, meaning: 'An argument value is outside its allowed range.' },
  GRAPHQL_PARSE_FAILED: { status: 400, meaning: 'The request is not valid GraphQL syntax.' },
  BAD_REQUEST: { status: 400, meaning: 'The HTTP request is not a GraphQL request the gateway can run (body not JSON, too large, wrong content type; no query, no single operation to run, a subscription, a malformed persisted-query extension).' },
  NOT_FOUND: { status: 404, meaning: 'No such HTTP path; the GraphQL endpoint is /graphql.' },
  GRAPHQL_VALIDATION_FAILED: { status: 400, meaning: 'The operation does not fit the schema (unknown field, wrong argument type).' },
  SOURCE_UNAVAILABLE: { status: 200, meaning: 'A source (hospital, VSS) could not be reached or failed; its part of the answer is missing.' },
  SOURCE_TIMEOUT: { status: 200, meaning: 'A source did not answer within its deadline; its part of the answer is missing.' },
  SOURCE_INVALID_RESPONSE: { status: 200, meaning: 'A source answered something that does not fit the request (wrong patient, wrong count, malformed); it was dropped.' },
  SOURCE_NOT_REGISTERED: { status: 200, meaning: 'The record locator names a facility that is not registered with this gateway; its records cannot be read.' },
  SOURCE_ERROR: { status: 200, meaning: 'A source reported an error for part of the request.' },
  AUDIT_UNAVAILABLE: { status: 503, meaning: 'The audit record could not be written, so no data was returned.' },
  OPERATION_LIMIT_EXCEEDED: { status: 400, meaning: 'The operation exceeds a limit of the gateway (depth, aliases, root fields, estimated cost or text size); `extensions.limit`, `max` and `actual` say which and by how much.' },
  RATE_LIMITED: { status: 429, meaning: 'The caller has used up its request allowance for now; retry after `extensions.retryAfterMs` (also the Retry-After header).' },
  OPERATION_NOT_ALLOWED: { status: 403, meaning: 'The gateway runs only registered (persisted) operations and this one is not in its safelist.' },
  INTERNAL_SERVER_ERROR: { status: 500, meaning: 'An unexpected failure inside patient-graph; details are in the server log.' },
  // Request pipeline (docs/architecture.md §9): automatic persisted queries.
  PERSISTED_QUERY_NOT_FOUND: { status: 200, meaning: 'The gateway does not know the persisted-query hash sent without a text: the APQ protocol asks the client to send the text with it (not a failure).' },
  PERSISTED_QUERY_NOT_SUPPORTED: { status: 200, meaning: 'This server does not take persisted-query hashes: the APQ protocol asks the client to send the text instead (not a failure).' },
  PERSISTED_QUERY_HASH_MISMATCH: { status: 400, meaning: 'extensions.persistedQuery.sha256Hash is not the SHA-256 of the query text sent with it.' },
  REGISTRATION_REFUSED: { status: 400, meaning: 'A source registration (or change) failed one or more checks; `extensions.failedChecks` and `report` say which and why; nothing changed.' },
  SOURCE_UNKNOWN: { status: 404, meaning: 'No registered source has that facility code.' },
  SOURCE_VALUE_INVALID: { status: 200, meaning: 'A source holds a value that does not fit the format its mapping declares (e.g. a malformed time); that field is null, the rest of the record is served, and `extensions.mappingKey` names what to fix.' },
  REGISTRY_UNAVAILABLE: { status: 503, meaning: 'The source registry store (file or Redis) cannot be read or written now; nothing changed and routing keeps the last registry loaded.' },
  PATIENT_INDEX_READ_ONLY: { status: 400, meaning: 'The identity subgraph serves a read-only patient index (an export or the demo): it has no links to search or review.' },
  MATCH_REVIEW_NOT_FOUND: { status: 404, meaning: 'No link with this id in the patient index.' },
  CORS_ORIGIN_NOT_ALLOWED: { status: 403, meaning: 'A browser on another origin asked to call the gateway (CORS) and that origin is not in `cors.allowedOrigins`.' },
  ACCESS_STATE_UNAVAILABLE: { status: 503, meaning: 'The access state (consent directives, break-the-glass grants) could not be read or written, so no data was returned and no consent or grant was changed; try again shortly.' },
} as const satisfies Record<string, { status: number; meaning: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CODES, value);
}
