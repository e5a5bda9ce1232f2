import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateSigningSecret } from '../../../core/security/generateSigningSecret';
import { IdentityLearningNotifier } from '../../../gateway/network/IdentityLearningNotifier';
import { SourceClients } from '../../../gateway/network/SourceClients';
import { captureLogger } from '../../helpers/captureLogger';

type Pair = { facilityCode: string; nationalId: string };

/** A real HTTP identity endpoint that holds its first answer until released, and records every batch. */
async function startIdentity(answer: object): Promise<{ server: Server; url: string; batches: Pair[][]; release: () => void }> {
  const batches: Pair[][] = [];
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      batches.push((JSON.parse(body) as { variables: { answers: Pair[] } }).variables.answers);
      void (batches.length === 1 ? held : Promise.resolve()).then(() => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(answer));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, batches, release };
}

const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `0010850${String(10000 + i)}`);

describe('IdentityLearningNotifier (bounded, in the background, over real HTTP)', () => {
  const clients = new SourceClients({});
  afterAll(() => clients.close());

  it('keeps at most maxPending pairs waiting while a call is in flight, drops the rest, and never sends a pair twice', async () => {
    const identity = await startIdentity({ data: { learnFromAnswers: 0 } });
    try {
      const notifier = new IdentityLearningNotifier({ code: 'identity', name: 'index', contract: 'identity', url: identity.url, timeoutMs: 5_000, secret: generateSigningSecret() }, clients, captureLogger().logger, { maxPending: 3, batchSize: 2 });
      notifier.observe('79001', ids(1));
      while (identity.batches.length === 0) await new Promise((resolve) => setImmediate(resolve));
      // The first call is held open: these wait, at most 3 of them.
      notifier.observe('79001', ids(8));
      notifier.observe('79001', ids(8));
      identity.release();
      await notifier.idle();
      const sent = identity.batches.flat();
      expect(identity.batches[0]).toEqual([{ facilityCode: '79001', nationalId: ids(1)[0] }]);
      expect(sent).toHaveLength(1 + 3);
      expect(new Set(sent.map((p) => p.nationalId)).size).toBe(sent.length);
      expect(identity.batches.every((b) => b.length <= 2)).toBe(true);
    } finally {
      identity.server.close();
    }
  });

  it('stops telling an index that does not learn (PATIENT_INDEX_READ_ONLY)', async () => {
    const identity = await startIdentity({ data: null, errors: [{ message: 'read-only', extensions: { code: 'PATIENT_INDEX_READ_ONLY' } }] });
    identity.release();
    try {
      const notifier = new IdentityLearningNotifier({ code: 'identity', name: 'index', contract: 'identity', url: identity.url, timeoutMs: 5_000, secret: generateSigningSecret() }, clients, captureLogger().logger);
      notifier.observe('79001', ids(2));
      await notifier.idle();
      notifier.observe('79002', ids(2));
      await notifier.idle();
      expect(identity.batches).toHaveLength(1);
    } finally {
      identity.server.close();
    }
  });
});
