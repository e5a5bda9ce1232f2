import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startDemoNetwork, type DemoNetwork } from '../../../demo/startDemoNetwork';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import type { DemoFacility, SyntheticPerson } from '../../../demo/population/types';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL } from '../../helpers/postGraphQL';
import { tokenFor } from '../../helpers/tokens';

const population = createDemoPopulation();
const running = population.facilities.slice(0, 3);
const runningCodes = new Set(running.map((f) => f.code));

function personAtTwo(): { person: SyntheticPerson; treatedAt: [string, string] } {
  for (const person of population.people) {
    const codes = [...new Set(person.records.map((r) => r.facilityCode))];
    if (codes.length === 2 && codes.every((c) => runningCodes.has(c))) return { person, treatedAt: codes as [string, string] };
  }
  throw new Error('fixture: no person at exactly two running hospitals');
}

interface Listening {
  readonly url: string;
  readonly server: Server;
}

async function listen(handler: (req: IncomingMessage, body: Buffer) => Promise<{ status: number; body: string }>): Promise<Listening> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handler(req, Buffer.concat(chunks)).then(
        ({ status, body }) => res.writeHead(status, { 'content-type': 'application/json' }).end(body),
        () => res.destroy(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

/** Forwards to a hospital and remembers the `traceparent` of every request (null when absent). */
async function recordingProxy(target: string, seen: (string | null)[]): Promise<Listening> {
  return listen(async (req, body) => {
    seen.push(typeof req.headers.traceparent === 'string' ? req.headers.traceparent : null);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string' && (name.startsWith('x-pg-') || name === 'content-type')) headers[name] = value;
    const upstream = await fetch(target, { method: 'POST', headers, body: new Uint8Array(body) });
    return { status: upstream.status, body: await upstream.text() };
  });
}

/** The SDK's in-memory exporter, except that shutting the provider down keeps the spans for the assertions. */
class KeptSpansExporter extends InMemorySpanExporter {
  override shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

const QUERY = 'query($id: ID!) { patient(nationalId: $id) { name { full } encounters { id source { facilityCode } } } }';

describe('OpenTelemetry tracing through startGateway', () => {
  const { person, treatedAt } = personAtTwo();
  const servers: Server[] = [];
  const traceparents = new Map<string, (string | null)[]>();
  const exporter = new KeptSpansExporter();
  const logs = captureLogger();

  const startNetwork = async (tracing: boolean): Promise<DemoNetwork> => {
    traceparents.clear();
    return startDemoNetwork({
      logger: logs.logger,
      population,
      hospitalKinds: 'synthetic',
      facilities: running,
      ...(tracing ? { tracing: { exporter } } : {}),
      hospitalEndpoint: async (facility: DemoFacility, url: string) => {
        const seen: (string | null)[] = [];
        traceparents.set(facility.code, seen);
        const proxy = await recordingProxy(url, seen);
        servers.push(proxy.server);
        return proxy.url;
      },
    });
  };

  afterAll(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('sends no traceparent to sources when tracing is off (the default)', async () => {
    const network = await startNetwork(false);
    try {
      await postGraphQL(network.gateway.url, QUERY, { id: person.nationalId }, await tokenFor('clinician', { facilityCode: treatedAt[0] }));
      expect(traceparents.get(treatedAt[0])).toEqual([null]);
      expect(logs.lines.some((l) => l.includes('otelTraceId'))).toBe(false);
    } finally {
      await network.stop();
    }
  }, 120_000);

  it('exports the plan and each source call as spans of one trace, and sends each source its span as traceparent', async () => {
    const network = await startNetwork(true);
    logs.lines.length = 0; // only this network's lines
    try {
      const { status } = await postGraphQL(network.gateway.url, QUERY, { id: person.nationalId }, await tokenFor('clinician', { facilityCode: treatedAt[0] }));
      expect(status).toBe(200);
    } finally {
      await network.stop(); // flushes the exporter
    }
    const spans: ReadableSpan[] = exporter.getFinishedSpans();
    const plan = spans.find((s) => s.name === 'gateway.plan');
    expect(plan).toBeDefined();
    for (const code of treatedAt) {
      const fetch = spans.find((s) => s.name === 'source.fetch' && s.attributes['patient_graph.source'] === code);
      const context = fetch?.spanContext();
      expect(context?.traceId).toBe(plan?.spanContext().traceId);
      expect(spans.some((s) => s.spanContext().spanId === fetch?.parentSpanContext?.spanId)).toBe(true);
      expect(fetch?.attributes['patient_graph.outcome']).toBe('answered');
      expect(traceparents.get(code)).toEqual([`00-${context?.traceId}-${context?.spanId}-01`]);
    }
    // Every log line written while a traced request ran names its trace.
    const sourceLines = logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === 'source.answered');
    expect(sourceLines.length).toBeGreaterThanOrEqual(2);
    expect(new Set(sourceLines.map((l) => l.otelTraceId))).toEqual(new Set([plan?.spanContext().traceId]));
    const all = JSON.stringify(spans.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events })));
    expect(all).not.toContain(person.nationalId);
    expect(all).not.toContain(person.name.full);
  }, 120_000);
});
