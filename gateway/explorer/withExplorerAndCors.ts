import type { IncomingMessage, ServerResponse } from 'node:http';
import { ERROR_CODES } from '../../core/errors/errorCodes';
import { CorsPolicy, isPreflight, type CorsOptions } from './CorsPolicy';
import { EXAMPLE_OPERATIONS } from './exampleOperations';
import { npmExplorerAsset } from './explorerAssets';
import { EXPLORER_SCRIPT } from './explorerScript';
import { EXPLORER_CSP, EXPLORER_CSS, renderExplorerPage } from './renderExplorerPage';

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

export interface ExplorerOptions {
  /**
   * The schema clients see (apiSchemaOf the supergraph): the explorer's docs, without
   * introspection. Called on the first request for it, so the gateway does not pay at start-up.
   */
  readonly apiSchemaSdl: () => string;
  readonly cors: CorsOptions;
  /** Told about a failure to serve the explorer (logged by the gateway, without request data). */
  readonly onError?: (error: unknown) => void;
}

/**
 * The gateway's HTTP edge for browsers, in front of the GraphQL handler: CORS (preflights answered
 * without a token; other origins refused unless configured, before anything else runs) and the
 * explorer: GET / is GraphiQL, its files under /explorer/ come from npm through the gateway.
 */
export function withExplorerAndCors(next: RequestListener, options: ExplorerOptions): RequestListener {
  const cors = new CorsPolicy(options.cors);
  let apiSchemaSdl: string | undefined;
  const own: Readonly<Record<string, { readonly body: () => string; readonly contentType: string }>> = {
    'explorer.js': { body: () => EXPLORER_SCRIPT, contentType: 'text/javascript; charset=utf-8' },
    'explorer.css': { body: () => EXPLORER_CSS, contentType: 'text/css; charset=utf-8' },
    'schema.graphql': { body: () => (apiSchemaSdl ??= options.apiSchemaSdl()), contentType: 'text/plain; charset=utf-8' },
    'examples.json': { body: () => JSON.stringify(EXAMPLE_OPERATIONS), contentType: 'application/json; charset=utf-8' },
  };
  const page = renderExplorerPage();

  return (req, res) => {
    const verdict = cors.verdict(req);
    if (verdict === 'refused') {
      res.writeHead(ERROR_CODES.CORS_ORIGIN_NOT_ALLOWED.status, { 'content-type': 'application/json; charset=utf-8', vary: 'Origin' });
      res.end(JSON.stringify({ errors: [{ message: 'this origin may not call the gateway (cors.allowedOrigins)', extensions: { code: 'CORS_ORIGIN_NOT_ALLOWED' } }] }));
      return;
    }
    if (isPreflight(req)) {
      cors.answerPreflight(req, res);
      return;
    }
    if (verdict === 'allowed') cors.allow(req, res);

    const path = new URL(req.url ?? '/', 'http://gateway.invalid').pathname;
    if ((req.method === 'GET' || req.method === 'HEAD') && (path === '/' || path.startsWith('/explorer/'))) {
      try {
        if (serveExplorer(req, res, path)) return;
      } catch (error) {
        // A missing npm file is a broken installation: answer 500, keep the gateway up.
        res.writeHead(ERROR_CODES.INTERNAL_SERVER_ERROR.status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ errors: [{ message: 'the explorer could not be served', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
        options.onError?.(error);
        return;
      }
    }
    next(req, res);
  };

  /** Serves GET / or a file under /explorer/; false for any other name (the caller answers 404). */
  function serveExplorer(req: IncomingMessage, res: ServerResponse, path: string): boolean {
    if (path === '/') {
      send(res, req, page, 'text/html; charset=utf-8', { 'content-security-policy': EXPLORER_CSP, 'cache-control': 'no-cache' });
      return true;
    }
    const name = path.slice('/explorer/'.length);
    const ownFile = Object.hasOwn(own, name) ? own[name] : undefined;
    if (ownFile) {
      send(res, req, ownFile.body(), ownFile.contentType, { 'cache-control': 'no-cache' });
      return true;
    }
    const npmFile = npmExplorerAsset(name);
    if (!npmFile) return false;
    send(res, req, npmFile.body, npmFile.contentType, { 'cache-control': 'public, max-age=3600' });
    return true;
  }
}

function send(res: ServerResponse, req: IncomingMessage, body: string | Buffer, contentType: string, headers: Readonly<Record<string, string>>): void {
  res.writeHead(200, { 'content-type': contentType, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', ...headers });
  res.end(req.method === 'HEAD' ? undefined : body);
}
