import type { GraphQLRequest } from '@apollo/server';

const PLACEHOLDER_NAME = 'PatientGraphRejectedOperation';
const PLACEHOLDER = `query ${PLACEHOLDER_NAME} { __typename }`;

const rejected = new WeakSet<GraphQLRequest>();

/**
 * Keeps a request's text from being parsed, so a plugin can refuse it cheaply.
 *
 * Apollo Server 5 turns an error thrown from any hook before `didResolveOperation`
 * (`requestDidStart`, `didResolveSource`, `parsingDidStart`, `validationDidStart`) into a masked
 * HTTP 500 "Internal server error" (`internalExecuteOperation` in ApolloServer.ts);
 * `didResolveOperation` is the first hook whose GraphQLError becomes the response with its own
 * code and status. So a plugin that must refuse before parsing (an oversized document, an
 * operation outside the safelist) calls this from `requestDidStart` — which runs before Apollo
 * reads `request.query` — and throws its error from `didResolveOperation`. The request then
 * carries a one-field placeholder, which is parsed (or found in the document cache), never
 * executed; the persisted-query extension is dropped so Apollo's APQ handling leaves it alone.
 */
export function rejectBeforeParsing(request: GraphQLRequest): void {
  request.query = PLACEHOLDER;
  request.operationName = PLACEHOLDER_NAME;
  if (request.extensions && 'persistedQuery' in request.extensions) {
    const { persistedQuery: _persistedQuery, ...rest } = request.extensions;
    request.extensions = rest;
  }
  rejected.add(request);
}

/** Whether another plugin already set this request aside: there is nothing left to check. */
export function isRejectedBeforeParsing(request: GraphQLRequest): boolean {
  return rejected.has(request);
}
