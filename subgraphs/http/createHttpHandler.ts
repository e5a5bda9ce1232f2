import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import type { ErrorCode } from '../../core/errors/errorCodes';
import type { Logger } from '../../core/logging/logger';
import { parseJsonBody } from './parseJsonBody';
import { readRequestBody } from './readRequestBody';

/** What an authentication hook sees: the request as received, body bytes unparsed. */
export interface RawHttpRequest {
  /** Upper case. */
  readonly method: string;
  readonly headers: IncomingHttpHeaders;
  /** Empty for requests without a body (GET). */
  readonly rawBody: Buffer;
}

export type AuthenticationResult<TFacts> =
  | { readonly kind: 'allowed'; readonly facts: TFacts }
  | {
      readonly kind: 'denied';
      readonly status: number;
      readonly code: ErrorCode;
      /** Sent to the caller: say what to fix, never what an attacker could use. */
      readonly message: string;
      /** `WWW-Authenticate` value (RFC 9110 §11.6.1: a 401 must name the scheme). */
      readonly challenge?: string;
    };

export type Authenticate<TFacts> = (request: RawHttpRequest) => AuthenticationResult<TFacts> | Promise<AuthenticationResult<TFacts>>;

interface HttpEdgeOptions {
  readonly logger: Logger;
  /** Whether the server can answer (for `/healthz`). */
  readonly isReady: () => boolean;
  readonly maxBodyBytes: number;
  readonly graphqlPath: string;
}

/** An edge that lets every request through, with an empty context. */
export interface OpenHttpHandlerOptions extends HttpEdgeOptions {
  readonly server: ApolloServer<BaseContext>;
}

/** An edge that authenticates each request and builds its context from what that established. */
export interface AuthenticatingHttpHandlerOptions<TContext extends BaseContext, TFacts> extends HttpEdgeOptions {
  readonly server: ApolloServer<TContext>;
  /** Runs on the raw body bytes, before JSON parsing (a signature covers the exact bytes). */
  readonly authenticate: Authenticate<TFacts>;
  readonly context: (facts: TFacts) => Promise<TContext>;
}

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The HTTP edge (GraphQL over HTTP) shared by the gateway and the subgraphs: `GET /healthz`, and
 * GET/POST on the GraphQL path handed to Apollo Server, after an optional authentication hook.
 * Bad bodies and refused callers get a GraphQL-shaped JSON error, never an HTML stack trace.
 */
export function createHttpHandler(options: OpenHttpHandlerOptions): RequestListener;
export function createHttpHandler<TContext extends BaseContext, TFacts>(options: AuthenticatingHttpHandlerOptions<TContext, TFacts>): RequestListener;
export function createHttpHandler<TContext extends BaseContext, TFacts>(
  options: OpenHttpHandlerOptions | AuthenticatingHttpHandlerOptions<TContext, TFacts>,
): RequestListener {
  return 'authenticate' in options ? listener(options) : listener(openEdge(options));
}

function listener<TContext extends BaseContext, TFacts>(options: AuthenticatingHttpHandlerOptions<TContext, TFacts>): RequestListener {
  return (req, res) => {
    handle(req, res, options).catch((error: unknown) => {
      options.logger.error('http.unhandled', { message: error instanceof Error ? error.message : String(error) });
      if (!res.headersSent) sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error.');
      else res.end();
    });
  };
}

function openEdge(options: OpenHttpHandlerOptions): AuthenticatingHttpHandlerOptions<BaseContext, null> {
  return { ...options, authenticate: () => ({ kind: 'allowed', facts: null }), context: async () => ({}) };
}

async function handle<TContext extends BaseContext, TFacts>(
  req: IncomingMessage,
  res: ServerResponse,
  options: AuthenticatingHttpHandlerOptions<TContext, TFacts>,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://edge.local');
  if (url.pathname === '/healthz') {
    const ready = options.isReady();
    sendJson(res, ready ? 200 : 503, { status: ready ? 'ok' : 'starting' });
    return;
  }
  if (url.pathname !== options.graphqlPath) {
    sendError(res, 404, 'NOT_FOUND', `Not found. The GraphQL endpoint is ${options.graphqlPath}.`);
    return;
  }
  const method = (req.method ?? 'GET').toUpperCase();
  let rawBody: Buffer = Buffer.alloc(0);
  if (method === 'POST') {
    const read = await readRequestBody(req, options.maxBodyBytes);
    if (read.kind === 'too-large') {
      sendError(res, 413, 'BAD_REQUEST', `The request body is larger than ${options.maxBodyBytes} bytes.`);
      return;
    }
    rawBody = read.bytes;
  }
  const authentication = await options.authenticate({ method, headers: req.headers, rawBody });
  if (authentication.kind === 'denied') {
    if (authentication.challenge !== undefined) res.setHeader('www-authenticate', authentication.challenge);
    sendError(res, authentication.status, authentication.code, authentication.message);
    return;
  }
  let body: unknown;
  if (method === 'POST') {
    const parsed = parseJsonBody(rawBody, req.headers['content-type']);
    switch (parsed.kind) {
      case 'malformed':
        sendError(res, 400, 'BAD_REQUEST', `Bad request: ${parsed.reason}.`);
        return;
      case 'empty':
        body = undefined;
        break;
      case 'json':
        body = parsed.value;
        break;
    }
  }
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const { facts } = authentication;
  const response = await options.server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method, headers, search: url.search, body },
    context: () => options.context(facts),
  });
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

function sendError(res: ServerResponse, status: number, code: ErrorCode, message: string): void {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
