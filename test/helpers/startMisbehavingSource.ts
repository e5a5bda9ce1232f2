import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateNonce } from '../../core/security/generateNonce';
import { signRequest } from '../../core/security/requestSignature';

/**
 * How a source in front of a real hospital subgraph misbehaves (for the conformance kit's tests):
 * - `out-of-order`: answers `_entities` in reverse order;
 * - `ignores-batching`: answers only the first representation of a batch;
 * - `accepts-unsigned`: lets every request through (it re-signs them for the hospital behind it).
 */
export type Misbehaviour = 'out-of-order' | 'ignores-batching' | 'accepts-unsigned';

export interface MisbehavingSource {
  readonly url: string;
  stop(): Promise<void>;
}

/** Real HTTP in front of a real subgraph; only the one misbehaviour differs from the hospital. */
export async function startMisbehavingSource(targetUrl: string, behaviour: Misbehaviour, signing: { secret: string; target: string }): Promise<MisbehavingSource> {
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      for (const [name, value] of Object.entries(req.headers)) if (name.startsWith('x-pg-') && typeof value === 'string') headers[name] = value;
      if (behaviour === 'accepts-unsigned') {
        Object.assign(headers, signRequest({ secret: signing.secret, method: 'POST', target: signing.target, body, principal: null, timestampMs: Date.now(), nonce: generateNonce() }));
      }
      const upstream = await fetch(targetUrl, { method: 'POST', headers, body });
      const text = await upstream.text();
      res.statusCode = upstream.status;
      res.setHeader('content-type', 'application/json');
      res.end(upstream.ok ? rewrite(text, behaviour) : text);
    })().catch(() => {
      res.statusCode = 502;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function rewrite(text: string, behaviour: Misbehaviour): string {
  const body = JSON.parse(text) as { data?: { _entities?: unknown[] } | null };
  const entities = body.data?._entities;
  if (!Array.isArray(entities) || !body.data) return text;
  if (behaviour === 'out-of-order') body.data._entities = [...entities].reverse();
  if (behaviour === 'ignores-batching') body.data._entities = entities.slice(0, 1);
  return JSON.stringify(body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
