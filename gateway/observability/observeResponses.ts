import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { GatewayMetrics } from './GatewayMetrics';

/**
 * The HTTP listener, with every response that leaves it counted by status and error code —
 * including refusals made before GraphQL runs (401 at the edge, 413 for a large body), which no
 * Apollo plugin sees. Reads only the body the handler already wrote in one piece.
 */
export function observeResponses(listener: RequestListener, metrics: GatewayMetrics): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    let body = '';
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.end = ((...args: unknown[]) => {
      const [chunk] = args;
      if (typeof chunk === 'string') body = chunk;
      else if (Buffer.isBuffer(chunk)) body = chunk.toString('utf8');
      return end(...args);
    }) as ServerResponse['end'];
    res.once('finish', () => metrics.observeResponse(res.statusCode, body, (performance.now() - started) / 1000));
    listener(req, res);
  };
}
