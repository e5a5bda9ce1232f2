import { randomBytes } from 'node:crypto';
import { subscribe } from 'node:diagnostics_channel';
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { createFhirR4Adapter } from '../../adapters/fhir-r4/createFhirR4Adapter';
import { fhirR4Config } from '../../adapters/fhir-r4/FhirR4Config';
import { createXml130Adapter } from '../../adapters/xml130/createXml130Adapter';
import { DEFAULT_XML130_LIMITS } from '../../adapters/xml130/Xml130Limits';
import { createLogger } from '../../core/logging/logger';
import { serveDemoHospital, type DemoHospital, type DemoHospitalOptions } from '../../demo/hospitals/DemoHospital';
import { startDemoHospital } from '../../demo/hospitals/startDemoHospital';
import { DEMO_FHIR_ADAPTER_SETTINGS } from '../../demo/hospitals/startFhirDemoHospital';
import { startSqlDemoHospital } from '../../demo/hospitals/startSqlDemoHospital';
import { loadPopulationIntoFhir } from '../../demo/fhir/loadPopulationIntoFhir';
import { startMedplumFhirServer } from '../../demo/fhir/startMedplumFhirServer';
import type { DemoFacility, Population, SyntheticPerson } from '../../demo/population/types';

/**
 * One hospital of the analytics benchmark (bench/runAnalyticsBenchmark.ts) in a process of its
 * own: its adapter, its clinical subgraph and, for FHIR, the Medplum server, so that the
 * gateway's process holds only the gateway and each source's memory is reported on its own. The
 * sources were filled by bench/analytics/loadSourcesProcess.ts; here the xml130 adapter indexes
 * its folder (into PostgreSQL), the FHIR server is loaded from an NDJSON file in chunks, the
 * synthetic adapter reads its charts from one. Started with `fork`; its argument is the JSON of
 * `SourceProcessArguments`. On the IPC channel it sends `ready`, and answers `reset` (start
 * counting a question), `counters` (bytes its subgraph's HTTP server wrote since, and the longest
 * request) and `stats` (RSS); it stops when the channel closes.
 */
export interface SourceProcessArguments {
  readonly kind: 'fhir' | 'sql-vendor' | 'sql-legacy' | 'xml130' | 'synthetic';
  readonly facility: DemoFacility;
  readonly facilities: readonly DemoFacility[];
  readonly seed: number;
  readonly signing: { readonly secret: string; readonly target: string };
  readonly analyticsKeyHex: string;
  /** sql-vendor (PostgreSQL), sql-legacy (MariaDB): the filled database. */
  readonly databaseUrl?: string;
  /** xml130: the folder of claim files, and the PostgreSQL database of its index. */
  readonly folder?: string;
  readonly indexUrl?: string;
  /** fhir, synthetic: the facility's charts, one person a line. */
  readonly ndjson?: string;
  /** fhir: load at most this many people's charts (Medplum keeps its repository in memory). */
  readonly maxPeople?: number;
  readonly timeoutMs: number;
}

export type SourceProcessMessage =
  | { readonly kind: 'ready'; readonly url: string; readonly system: string; readonly loadMs: number; readonly charts: number; readonly encounters: number; readonly resources: number }
  | { readonly kind: 'counters'; readonly bytes: number; readonly longestMs: number }
  | { readonly kind: 'stats'; readonly rssBytes: number; readonly peakRssBytes: number };

/** People per FHIR load (one `loadPopulationIntoFhir` each). */
const FHIR_CHUNK = 1_000;

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as SourceProcessArguments;
  const send = (message: SourceProcessMessage): void => {
    if (process.connected) process.send?.(message, undefined, undefined, () => undefined);
  };
  let peakRssBytes = 0;
  const sampler = setInterval(() => {
    peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss());
  }, 250);
  sampler.unref();
  const logger = createLogger({ level: 'error' });
  const started = performance.now();
  const common: DemoHospitalOptions = {
    facility: args.facility,
    population: { seed: args.seed, facilities: [...args.facilities], people: [] },
    logger,
    host: '127.0.0.1',
    port: 0,
    signing: args.signing,
    analyticsKey: Buffer.from(args.analyticsKeyHex, 'hex'),
  };
  let charts = 0;
  let encounters = 0;
  let resources = 0;
  const count = (people: readonly SyntheticPerson[]): void => {
    for (const person of people) {
      for (const record of person.records) {
        charts += 1;
        encounters += record.resources.encounters.length;
      }
    }
  };
  let hospital: DemoHospital;
  switch (args.kind) {
    case 'sql-vendor':
    case 'sql-legacy':
      hospital = await startSqlDemoHospital({
        ...common,
        schema: args.kind === 'sql-vendor' ? 'vendor' : 'legacy',
        connection: { dialect: args.kind === 'sql-vendor' ? 'postgres' : 'mysql', url: required(args.databaseUrl, 'databaseUrl') },
        seed: false,
        statementTimeoutMs: args.timeoutMs,
        connectTimeoutMs: 120_000,
      });
      break;
    case 'xml130': {
      const adapter = await createXml130Adapter(
        { folder: required(args.folder, 'folder'), watch: false, debounceMs: 200, rescanIntervalMs: 3_600_000, limits: DEFAULT_XML130_LIMITS, index: { kind: 'postgres', url: required(args.indexUrl, 'indexUrl') } },
        { logger, facility: args.facility },
      );
      hospital = await serveDemoHospital(common, adapter, () => adapter.close());
      break;
    }
    case 'fhir': {
      const accessToken = randomBytes(32).toString('base64url');
      const fhir = await startMedplumFhirServer({ logger, accessToken });
      const max = args.maxPeople ?? Number.POSITIVE_INFINITY;
      let loaded = 0;
      for await (const people of readPeople(required(args.ndjson, 'ndjson'), FHIR_CHUNK)) {
        const part = people.slice(0, Math.max(0, max - loaded));
        if (part.length === 0) break;
        loaded += part.length;
        count(part);
        resources += (await loadPopulationIntoFhir(fhir.repo, { ...common.population, people: part }, args.facility.code)).resources;
      }
      const adapter = createFhirR4Adapter(
        fhirR4Config(fhir.baseUrl, { ...DEMO_FHIR_ADAPTER_SETTINGS, auth: { kind: 'bearer', token: accessToken }, pageSize: 1000, maxPages: 100_000, maxResources: 10_000_000, timeoutMs: args.timeoutMs }),
        { logger, facility: args.facility },
      );
      hospital = await serveDemoHospital(common, adapter, () => fhir.stop());
      break;
    }
    case 'synthetic': {
      const people: SyntheticPerson[] = [];
      for await (const part of readPeople(required(args.ndjson, 'ndjson'), 10_000)) people.push(...part);
      count(people);
      const population: Population = { ...common.population, people };
      hospital = await startDemoHospital({ ...common, population });
      break;
    }
  }
  const loadMs = performance.now() - started;

  // What this hospital's subgraph server wrote, per response (keep-alive sockets: a delta per socket).
  const port = Number(new URL(hospital.url).port);
  let bytes = 0;
  let longestMs = 0;
  const written = new WeakMap<Socket, number>();
  const requestStarted = new WeakMap<IncomingMessage, number>();
  subscribe('http.server.request.start', (message) => {
    const { request } = message as { request: IncomingMessage };
    if (request.socket.localPort === port) requestStarted.set(request, performance.now());
  });
  subscribe('http.server.response.finish', (message) => {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    const socket = response.socket;
    if (!socket || socket.localPort !== port) return;
    const before = written.get(socket) ?? 0;
    written.set(socket, socket.bytesWritten);
    bytes += socket.bytesWritten - before;
    const at = requestStarted.get(request);
    if (at !== undefined) longestMs = Math.max(longestMs, performance.now() - at);
  });
  process.on('message', (message) => {
    if (message === 'reset') {
      bytes = 0;
      longestMs = 0;
    } else if (message === 'counters') {
      send({ kind: 'counters', bytes, longestMs });
    } else if (message === 'stats') {
      send({ kind: 'stats', rssBytes: process.memoryUsage.rss(), peakRssBytes: Math.max(peakRssBytes, process.memoryUsage.rss()) });
    }
  });
  process.on('disconnect', () => {
    void hospital.stop().finally(() => process.exit(0));
  });
  send({ kind: 'ready', url: hospital.url, system: hospital.system, loadMs, charts, encounters, resources });
}

function required(value: string | undefined, name: string): string {
  if (value === undefined) throw new Error(`source process: ${name} is required`);
  return value;
}

/** The people of an NDJSON file, `size` at a time. */
async function* readPeople(path: string, size: number): AsyncGenerator<SyntheticPerson[]> {
  let people: SyntheticPerson[] = [];
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    if (line === '') continue;
    people.push(JSON.parse(line) as SyntheticPerson);
    if (people.length >= size) {
      yield people;
      people = [];
    }
  }
  if (people.length > 0) yield people;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
