import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the stand-in answers to every request. */
export type StandInAnswer = (res: ServerResponse, request: { readonly url: string; readonly body: string }) => void;

export interface FhirStandIn {
  /** FHIR base URL, `http://127.0.0.1:<port>/fhir`. */
  readonly baseUrl: string;
  /** Requests received: URL (path and query) and headers. */
  readonly requests: readonly { readonly url: string; readonly headers: IncomingHttpHeaders }[];
  answer(with_: StandInAnswer): void;
  stop(): Promise<void>;
}

/**
 * A broken outside FHIR server, for the failure modes a real one cannot be made to show on demand
 * (500s, OperationOutcomes, truncated JSON, silence): a node:http server on 127.0.0.1 that answers
 * every request as told and records what it received.
 */
export async function startFhirStandIn(): Promise<FhirStandIn> {
  let answer: StandInAnswer = (res) => json(res, 200, { resourceType: 'Bundle', type: 'searchset' });
  const requests: { url: string; headers: IncomingHttpHeaders }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ url: req.url ?? '', headers: req.headers });
      answer(res, { url: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/fhir`,
    requests,
    answer: (next) => {
      answer = next;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Writes a JSON answer. */
export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/fhir+json' });
  res.end(JSON.stringify(body));
}
