import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DelayProxy {
  readonly url: string;
  /** Requests forwarded so far. */
  readonly forwarded: number;
  stop(): Promise<void>;
}

/**
 * A source that answers no faster than `delayMs`: an HTTP proxy on 127.0.0.1 that holds each
 * request `delayMs` before forwarding it to `target` (a hospital subgraph), then streams the answer
 * back. Keep-alive on both sides, like a hospital's server.
 */
export async function startDelayProxy(target: string, delayMs: number): Promise<DelayProxy> {
  const upstream = new URL(target);
  let forwarded = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      setTimeout(() => {
        forwarded += 1;
        const out = httpRequest({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        out.on('error', () => res.writeHead(502).end());
        out.end(Buffer.concat(chunks));
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname}`,
    get forwarded() {
      return forwarded;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
