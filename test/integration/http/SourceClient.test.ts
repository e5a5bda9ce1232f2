import { getEventListeners } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SourceCallError } from '../../../core/http/SourceCallError';
import { SourceClient, type HttpReply, type SourceClientOptions } from '../../../core/http/SourceClient';
// cockatiel's default signal, shared by every policy call given none (cockatiel/dist/common/abort.js).
import { neverAbortedSignal } from 'cockatiel/dist/common/abort';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

interface TestServer {
  readonly url: string;
  /** Request bodies received, in order. */
  readonly bodies: string[];
  /** TCP connections opened by clients. */
  connections: number;
  /** Responses whose connection closed before the server finished writing them. */
  cutOff: number;
  handle: Handler;
  stop(): Promise<void>;
}

async function startServer(): Promise<TestServer> {
  const state: TestServer = {
    url: '',
    bodies: [],
    connections: 0,
    cutOff: 0,
    handle: (_req, res) => res.end('{}'),
    stop: async () => undefined,
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      state.bodies.push(body);
      res.on('close', () => {
        if (!res.writableFinished) state.cutOff += 1;
      });
      state.handle(req, res, body);
    });
  });
  server.on('connection', () => {
    state.connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/graphql`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}

const asText = (reply: HttpReply): HttpReply => reply;
const read = { idempotent: true, isFailure: (r: HttpReply) => r.status >= 500 };
const write = { idempotent: false, isFailure: (r: HttpReply) => r.status >= 500 };

async function failureOf(promise: Promise<unknown>): Promise<SourceCallError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SourceCallError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('SourceClient', () => {
  let server: TestServer;
  const clients: SourceClient[] = [];
  const client = (options: Partial<SourceClientOptions> = {}): SourceClient => {
    const created = new SourceClient({ url: server.url, deadlineMs: 2_000, ...options });
    clients.push(created);
    return created;
  };

  beforeEach(async () => {
    server = await startServer();
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await server.stop();
  });

  it('keeps one connection alive across sequential calls instead of opening one per call', async () => {
    const pooled = client();
    for (let i = 0; i < 20; i++) {
      const reply = await pooled.post(() => ({ headers: { 'content-type': 'application/json' }, body: `{"n":${i}}` }), asText, read);
      expect(reply).toEqual({ status: 200, body: '{}' });
    }
    expect(server.bodies).toHaveLength(20);
    // The pool may open a second connection while the first is being released; never one per call.
    expect(server.connections).toBeLessThanOrEqual(3);
  });

  it('retries a read once after the connection closes without an answer, building the request again for the retry', async () => {
    server.handle = (req, res) => {
      if (server.bodies.length === 1) req.socket.destroy();
      else res.end('{"data":{}}');
    };
    let built = 0;
    const reply = await client().post(() => ({ headers: {}, body: `attempt-${++built}` }), asText, read);
    expect(reply.body).toBe('{"data":{}}');
    expect(server.bodies).toEqual(['attempt-1', 'attempt-2']);
  });

  it('does not retry a call that is not an idempotent read', async () => {
    server.handle = (req) => req.socket.destroy();
    const error = await failureOf(client().post(() => ({ headers: {}, body: 'mutation' }), asText, write));
    expect(error.kind).toBe('unreachable');
    expect(server.bodies).toEqual(['mutation']);
  });

  it('stops reading an answer as soon as it grows past the size cap', async () => {
    let written = 0;
    server.handle = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }); // chunked: no length announced
      const chunk = 'x'.repeat(16 * 1024);
      const timer = setInterval(() => {
        if (res.destroyed || written >= 64 * 1024 * 1024) {
          clearInterval(timer);
          res.end();
          return;
        }
        written += chunk.length;
        res.write(chunk);
      }, 1);
    };
    const error = await failureOf(client({ maxResponseBytes: 100_000 }).post(() => ({ headers: {}, body: '{}' }), asText, read));
    expect(error.kind).toBe('too-large');
    await waitFor(() => server.cutOff === 1);
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });

  it('refuses an answer whose declared length is past the cap without reading it', async () => {
    server.handle = (_req, res) => {
      res.writeHead(200, { 'content-length': String(1_000_000) });
      res.write('x'.repeat(1000));
    };
    const error = await failureOf(client({ maxResponseBytes: 10_000 }).post(() => ({ headers: {}, body: '{}' }), asText, read));
    expect(error.kind).toBe('too-large');
    await waitFor(() => server.cutOff === 1);
  });

  it('gives up at the deadline and closes the request it abandoned', async () => {
    server.handle = () => undefined; // never answers
    const error = await failureOf(client({ deadlineMs: 150 }).post(() => ({ headers: {}, body: '{}' }), asText, read));
    expect(error.kind).toBe('timeout');
    expect(error.message).not.toContain('127.0.0.1');
    await waitFor(() => server.cutOff === 1);
  });

  it('opens the circuit after consecutive failures and stops sending until it may try again', async () => {
    server.handle = (_req, res) => {
      res.statusCode = 500;
      res.end('{}');
    };
    const breaking = client({ breaker: { failureThreshold: 3, openMs: 60_000 } });
    for (let i = 0; i < 3; i++) {
      expect((await breaking.post(() => ({ headers: {}, body: '{}' }), asText, read)).status).toBe(500);
    }
    expect(breaking.circuitState()).toBe('open');
    const error = await failureOf(breaking.post(() => ({ headers: {}, body: '{}' }), asText, read));
    expect(error.kind).toBe('circuit-open');
    expect(server.bodies).toHaveLength(3);
  });

  it('closes the circuit again after one successful trial call', async () => {
    let failing = true;
    server.handle = (_req, res) => {
      res.statusCode = failing ? 500 : 200;
      res.end('{}');
    };
    const breaking = client({ breaker: { failureThreshold: 1, openMs: 50 } });
    await breaking.post(() => ({ headers: {}, body: '{}' }), asText, read);
    expect(breaking.circuitState()).toBe('open');
    failing = false;
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect((await breaking.post(() => ({ headers: {}, body: '{}' }), asText, read)).status).toBe(200);
    expect(breaking.circuitState()).toBe('closed');
  });

  it('refuses calls beyond its concurrency and queue as overloaded, without sending them', async () => {
    const waiting: ServerResponse[] = [];
    server.handle = (_req, res) => {
      waiting.push(res);
    };
    const narrow = client({ concurrency: 1, queue: 0 });
    const first = narrow.post(() => ({ headers: {}, body: 'first' }), asText, read);
    const error = await failureOf(narrow.post(() => ({ headers: {}, body: 'second' }), asText, read));
    expect(error.kind).toBe('overloaded');
    await waitFor(() => waiting.length === 1);
    waiting[0]?.end('{}');
    expect((await first).status).toBe(200);
    expect(server.bodies).toEqual(['first']);
  });

  it('reports the calls in flight and those waiting for a slot, and frees both when they give up', async () => {
    const waiting: ServerResponse[] = [];
    server.handle = (_req, res) => {
      waiting.push(res);
    };
    const narrow = client({ concurrency: 1, queue: 4, deadlineMs: 300 });
    const first = narrow.post(() => ({ headers: {}, body: 'first' }), asText, read);
    await waitFor(() => waiting.length === 1);
    const second = narrow.post(() => ({ headers: {}, body: 'second' }), asText, read);
    expect(narrow.load()).toEqual({ inFlight: 1, queued: 1 });
    expect((await failureOf(first)).kind).toBe('timeout');
    expect((await failureOf(second)).kind).toBe('timeout');
    await waitFor(() => narrow.load().inFlight === 0 && narrow.load().queued === 0);
  });

  it('hangs no listener on a shared signal, however many calls run one after another or at once', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      if (warning.name === 'MaxListenersExceededWarning') warnings.push(warning);
    };
    process.on('warning', onWarning);
    try {
      const shared = client({ concurrency: 5 });
      for (let i = 0; i < 50; i++) await shared.post(() => ({ headers: {}, body: `{"n":${i}}` }), asText, read);
      // 20 calls at once, 5 in flight and 15 waiting for a slot: past the 10 listeners Node tolerates on one signal.
      const held: ServerResponse[] = [];
      server.handle = (_req, res) => {
        held.push(res);
      };
      const calls = Array.from({ length: 20 }, (_, i) => shared.post(() => ({ headers: {}, body: `{"m":${i}}` }), asText, read));
      await waitFor(() => held.length === 5);
      expect(shared.load()).toEqual({ inFlight: 5, queued: 15 });
      expect(getEventListeners(neverAbortedSignal, 'abort')).toHaveLength(0);
      server.handle = (_req, res) => res.end('{}');
      for (const res of held) res.end('{}');
      expect((await Promise.all(calls)).map((r) => r.status)).toEqual(Array.from({ length: 20 }, () => 200));
      expect(getEventListeners(neverAbortedSignal, 'abort')).toHaveLength(0);
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on a later tick
      expect(warnings).toEqual([]);
      expect(server.bodies).toHaveLength(70);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('keeps each call on its own signal while the circuit recovers, so calls that waited for the trial hang nothing on a shared signal', async () => {
    let failing = true;
    const held: ServerResponse[] = [];
    server.handle = (_req, res) => {
      if (failing) {
        res.statusCode = 500;
        res.end('{}');
      } else held.push(res);
    };
    const breaking = client({ breaker: { failureThreshold: 1, openMs: 50 } });
    await breaking.post(() => ({ headers: {}, body: 'fail' }), asText, read);
    expect(breaking.circuitState()).toBe('open');
    failing = false;
    await new Promise((resolve) => setTimeout(resolve, 80));
    // The first call is the half-open trial; the other 14 wait for it, then run once it closed the circuit.
    const trial = breaking.post(() => ({ headers: {}, body: 'trial' }), asText, read);
    await waitFor(() => held.length === 1);
    const waiting = Array.from({ length: 14 }, (_, i) => breaking.post(() => ({ headers: {}, body: `{"w":${i}}` }), asText, read));
    held[0]?.end('{}');
    expect((await trial).status).toBe(200);
    await waitFor(() => held.length === 15);
    // All 14 in flight at once: none may listen on cockatiel's module-wide signal (past 10 Node warns).
    expect(getEventListeners(neverAbortedSignal, 'abort')).toHaveLength(0);
    for (const res of held.slice(1)) res.end('{}');
    expect((await Promise.all(waiting)).map((r) => r.status)).toEqual(Array.from({ length: 14 }, () => 200));
    expect(getEventListeners(neverAbortedSignal, 'abort')).toHaveLength(0);
    expect(breaking.circuitState()).toBe('closed');
  });

  it('refuses options that make no sense when it is built', () => {
    expect(() => new SourceClient({ url: 'ftp://example.org/', deadlineMs: 100 })).toThrow('http or https');
    expect(() => new SourceClient({ url: server.url, deadlineMs: 0 })).toThrow('deadlineMs');
    expect(() => new SourceClient({ url: server.url, deadlineMs: 100, breaker: { failureThreshold: 0, openMs: 1 } })).toThrow('failureThreshold');
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}
