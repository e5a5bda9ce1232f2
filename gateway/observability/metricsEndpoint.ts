import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayMetrics } from './GatewayMetrics';

export const METRICS_PATH = '/metrics';
/** A token short enough to guess would expose the gateway's traffic profile. */
const MIN_TOKEN_LENGTH = 32;

/**
 * `GET /metrics` for Prometheus, only with `Authorization: Bearer <metrics token>` (a token of its
 * own, not a user's JWT: scrapers are not principals). Returns whether it handled the request.
 */
export function metricsEndpoint(metrics: GatewayMetrics, token: string): (req: IncomingMessage, res: ServerResponse) => boolean {
  if (typeof token !== 'string' || token.length < MIN_TOKEN_LENGTH) {
    throw new Error(`metrics: the metrics token must be at least ${MIN_TOKEN_LENGTH} characters (generate one with 32 random bytes)`);
  }
  const expected = Buffer.from(`Bearer ${token}`);
  return (req, res) => {
    if ((req.url ?? '').split('?')[0] !== METRICS_PATH) return false;
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer realm="metrics"' });
      res.end(JSON.stringify({ errors: [{ message: 'the metrics endpoint needs the metrics token', extensions: { code: 'UNAUTHENTICATED' } }] }));
      return true;
    }
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET' });
      res.end();
      return true;
    }
    metrics.render().then(
      (text) => {
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        res.end(text);
      },
      () => {
        res.writeHead(500);
        res.end();
      },
    );
    return true;
  };
}
