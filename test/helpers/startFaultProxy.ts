import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * How the proxy treats requests to the hospital behind it:
 * - `pass`: forwards unchanged;
 * - `down`: refuses (closes the connection, like a stopped server);
 * - `slow`: waits `delayMs` before forwarding;
 * - `wrong-patient`: answers with the entities' key swapped to another patient;
 * - `wrong-count`: drops the last entity of the answer;
 * - `garbage`: answers HTTP 200 with a body that is not JSON;
 * - `hold`: keeps each request waiting until `release()`, then forwards it;
 * - `internal-error`: answers HTTP 200 with a GraphQL INTERNAL_SERVER_ERROR whose message is
 *   `SOURCE_INTERNAL_ERROR_TEXT` (a source leaking a patient's name and ID in its error text).
 */
export type ProxyMode = 'pass' | 'down' | 'slow' | 'wrong-patient' | 'wrong-count' | 'garbage' | 'hold' | 'internal-error';

/** The fake PHI and internals an `internal-error` answer carries (no real person). */
export const SOURCE_INTERNAL_ERROR_TEXT = 'lookup of Nguyễn Văn Thử 079099012345 failed: relation "his.patients" at 10.0.0.7:5432 is locked';

export interface FaultProxy {
  readonly url: string;
  /** GraphQL operations received (one per HTTP request). */
  readonly requests: readonly { readonly query: string; readonly representations: number }[];
  /** Requests received and not yet answered, now and at most so far (reset by `reset()`). */
  readonly inFlight: () => number;
  readonly maxInFlight: () => number;
  /** Forwards every request `hold` keeps waiting, and lets later ones through. */
  release(): void;
  setMode(mode: ProxyMode, delayMs?: number): void;
  reset(): void;
  stop(): Promise<void>;
}

/**
 * A fault-injecting HTTP proxy in front of a real hospital subgraph: it counts what the gateway
 * sends and can make the hospital look down, slow or lying. Test instrumentation over real HTTP —
 * the hospital behind it is our real subgraph, not a mock.
 */
export async function startFaultProxy(targetUrl: string): Promise<FaultProxy> {
  let mode: ProxyMode = 'pass';
  let delayMs = 0;
  const requests: { query: string; representations: number }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let held: (() => void)[] = [];
  const releaseHeld = (): void => {
    const waiting = held;
    held = [];
    for (const resume of waiting) resume();
  };
  // Delayed requests still waiting; reset() drops them so they never reach the hospital later.
  const timers = new Map<NodeJS.Timeout, () => void>();
  const wait = (ms: number): Promise<boolean> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve(true);
      }, ms);
      timers.set(timer, () => resolve(false));
    });
  const dropDelayed = (): void => {
    for (const [timer, cancel] of timers) {
      clearTimeout(timer);
      cancel();
    }
    timers.clear();
  };
  const server = createServer((req, res) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => {
      inFlight -= 1;
    });
    void (async () => {
      const body = await readAll(req);
      if (mode === 'down') {
        req.socket.destroy();
        return;
      }
      const parsed = JSON.parse(body) as { query?: string; variables?: { representations?: unknown[] } };
      requests.push({ query: parsed.query ?? '', representations: parsed.variables?.representations?.length ?? 0 });
      if (mode === 'slow' && !(await wait(delayMs))) {
        req.socket.destroy();
        return;
      }
      if (mode === 'hold') await new Promise<void>((resume) => held.push(resume));
      if (mode === 'garbage') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('<html>proxy error');
        return;
      }
      if (mode === 'internal-error') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data: null, errors: [{ message: SOURCE_INTERNAL_ERROR_TEXT, extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
        return;
      }
      const upstream = await fetch(targetUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...signatureHeadersOf(req) }, body });
      let text = await upstream.text();
      if (mode === 'wrong-patient' || mode === 'wrong-count') text = JSON.stringify(corrupt(JSON.parse(text) as Answer, mode));
      res.writeHead(upstream.status, { 'content-type': 'application/json' });
      res.end(text);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    inFlight: () => inFlight,
    maxInFlight: () => maxInFlight,
    release: () => {
      mode = mode === 'hold' ? 'pass' : mode;
      releaseHeld();
    },
    setMode: (next, delay = 0) => {
      mode = next;
      delayMs = delay;
    },
    reset: () => {
      dropDelayed();
      requests.length = 0;
      mode = 'pass';
      releaseHeld();
      maxInFlight = inFlight;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        dropDelayed();
        releaseHeld();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface Answer {
  data?: { _entities?: Record<string, unknown>[] };
}

function corrupt(answer: Answer, mode: 'wrong-patient' | 'wrong-count'): Answer {
  const entities = answer.data?._entities;
  if (!entities) return answer;
  if (mode === 'wrong-count') return { ...answer, data: { _entities: entities.slice(0, -1) } };
  return { ...answer, data: { _entities: entities.map((e) => ({ ...e, _pgNationalId: '079099000000' })) } };
}

/** The gateway's request-signature headers (`x-pg-*`), passed on so the hospital accepts the request. */
function signatureHeadersOf(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith('x-pg-') && typeof value === 'string') headers[name] = value;
  }
  return headers;
}

async function readAll(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
