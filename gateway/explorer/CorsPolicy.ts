import type { IncomingMessage, ServerResponse } from 'node:http';

/** Which other origins' browser apps may call the gateway (CORS). */
export interface CorsOptions {
  /**
   * Exact origins (`https://app.benhvien.vn`), or `*` for any. None by default, which is what a
   * production gateway should start from; the explorer needs none (it is served by the gateway).
   */
  readonly allowedOrigins: readonly string[];
}

/** Headers a browser app may send: the token, the body type, and Apollo's CSRF-prevention header. */
const ALLOWED_HEADERS = 'authorization, content-type, accept, apollo-require-preflight, x-apollo-operation-name';
const ALLOWED_METHODS = 'GET, POST, OPTIONS';
/** Browsers cache a preflight answer for this long (seconds). */
const PREFLIGHT_MAX_AGE = '600';

export type CorsVerdict = 'not-cross-origin' | 'allowed' | 'refused';

/**
 * The gateway's CORS rules: a request from the gateway's own origin (the explorer) or without an
 * Origin header is not cross-origin; another origin is allowed only if configured. Preflights are
 * answered here, before authentication, because a browser never sends the token with them.
 */
export class CorsPolicy {
  private readonly origins: ReadonlySet<string>;
  private readonly any: boolean;

  constructor(options: CorsOptions) {
    this.any = options.allowedOrigins.includes('*');
    this.origins = new Set(options.allowedOrigins.map((origin) => origin.replace(/\/+$/, '')));
  }

  verdict(req: IncomingMessage): CorsVerdict {
    const origin = req.headers.origin;
    if (origin === undefined || origin === ownOrigin(req)) return 'not-cross-origin';
    return this.any || this.origins.has(origin) ? 'allowed' : 'refused';
  }

  /** Adds the CORS response headers for an allowed origin (the actual request, not the preflight). */
  allow(req: IncomingMessage, res: ServerResponse): void {
    res.setHeader('access-control-allow-origin', req.headers.origin ?? '');
    res.setHeader('vary', 'Origin');
    res.setHeader('access-control-expose-headers', 'retry-after');
  }

  /** Answers a preflight from an allowed origin: 204, no token needed, nothing else happens. */
  answerPreflight(req: IncomingMessage, res: ServerResponse): void {
    this.allow(req, res);
    res.writeHead(204, {
      'access-control-allow-methods': ALLOWED_METHODS,
      'access-control-allow-headers': ALLOWED_HEADERS,
      'access-control-max-age': PREFLIGHT_MAX_AGE,
    });
    res.end();
  }
}

/** A preflight: OPTIONS with Access-Control-Request-Method. */
export function isPreflight(req: IncomingMessage): boolean {
  return req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
}

/** The origin the browser used to reach this gateway (behind a TLS proxy: X-Forwarded-Proto). */
function ownOrigin(req: IncomingMessage): string | undefined {
  const host = req.headers.host;
  if (host === undefined) return undefined;
  const forwarded = req.headers['x-forwarded-proto'];
  const proto = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim() ?? 'http';
  return `${proto}://${host}`;
}
