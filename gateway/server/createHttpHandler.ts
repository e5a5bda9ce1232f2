import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import type { Logger } from '../../core/logging/logger';
import { readRequestBody } from './readRequestBody';

export interface HttpHandlerOptions {
  readonly server: ApolloServer<BaseContext>;
  readonly logger: Logger;
  /** Whether the supergraph is loaded and the gateway can answer (for `/healthz`). */
  readonly isReady: () => boolean;
  readonly maxBodyBytes: number;
  readonly graphqlPath: string;
}

/**
 * The gateway's HTTP edge (GraphQL over HTTP): `GET /healthz`, and GET/POST on the GraphQL path
 * handed to Apollo Server. Bad bodies get a GraphQL-shaped JSON error, never an HTML stack trace.
 */
export function createHttpHandler(options: HttpHandlerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(req, res, options).catch((error: unknown) => {
      options.logger.error('http.unhandled', { message: error instanceof Error ? error.message : String(error) });
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.end();
    });
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, options: HttpHandlerOptions): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://gateway.local');
  if (url.pathname === '/healthz') {
    const ready = options.isReady();
    sendJson(res, ready ? 200 : 503, { status: ready ? 'ok' : 'starting' });
    return;
  }
  if (url.pathname !== options.graphqlPath) {
    sendJson(res, 404, { errors: [{ message: `Not found. The GraphQL endpoint is ${options.graphqlPath}.`, extensions: { code: 'NOT_FOUND' } }] });
    return;
  }
  const method = (req.method ?? 'GET').toUpperCase();
  let body: unknown;
  if (method === 'POST') {
    const read = await readRequestBody(req, options.maxBodyBytes);
    switch (read.kind) {
      case 'too-large':
        sendJson(res, 413, { errors: [{ message: `The request body is larger than ${options.maxBodyBytes} bytes.`, extensions: { code: 'BAD_REQUEST' } }] });
        return;
      case 'malformed':
        sendJson(res, 400, { errors: [{ message: `Bad request: ${read.reason}.`, extensions: { code: 'BAD_REQUEST' } }] });
        return;
      case 'empty':
        body = undefined;
        break;
      case 'json':
        body = read.value;
        break;
    }
  }
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const response = await options.server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method, headers, search: url.search, body },
    context: async () => ({}),
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

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
