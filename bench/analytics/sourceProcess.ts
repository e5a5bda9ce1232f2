import type { FhirRepository } from '@medplum/fhir-router';
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
import { toFhirResources } from '../../demo/fhir/toFhirResources';
import { startMedplumFhirServer } from '../../demo/fhir/startMedplumFhirServer';
import type { DemoFacility, Population, SyntheticPerson } from '../../demo/population/types';

/**
 * One hospital of the analytics benchmark (bench/runAnalyticsBenchmark.ts) in a process of its
 * own: its adapter, its clinical subgraph and, for FHIR, the Medplum server, so that the
 * gateway's process holds only the gateway and each source's memory is reported on its own. It
 * starts before bench/analytics/loadSourcesProcess.ts fills the sources: the xml130 adapter
 * indexes its folder (into PostgreSQL) while the loader fills it, and once told `loaded` rescans
 * it a last time; the FHIR server is then loaded from an NDJSON file in chunks, the synthetic
 * adapter reads its charts from one. Started with `fork`; its argument is the JSON of
 * `SourceProcessArguments`; `SourceProcessCommand`s on the IPC channel. It serves once both
 * loaded and told `serve`, then sends `ready`, and answers `reset` (start counting a question),
 * `counters` (bytes its subgraph's HTTP server wrote since, and the longest request) and `stats`
 * (RSS); it stops when the channel closes.
 */
export interface SourceProcessArguments {
  readonly kind: 'fhir' | 'sql-vendor' | 'sql-legacy' | 'xml130' | 'synthetic';
  readonly facility: DemoFacility;
  readonly facilities: readonly DemoFacility[];
  readonly seed: number;
  /** sql-vendor (PostgreSQL), sql-legacy (MariaDB): the filled database. */
  readonly databaseUrl?: string;
  /** xml130: the folder of claim files, and the PostgreSQL database of its index. */
  readonly folder?: string;
  readonly indexUrl?: string;
  /** fhir, synthetic: the facility's charts, one person a line. */
  readonly ndjson?: string;
  /** fhir: load at most this many people's charts (Medplum keeps its repository in memory). */
  readonly maxPeople?: number;
  /** fhir: stop loading once the heap holds this much (MB); the charts loaded so far are served and counted. */
  readonly maxHeapMb?: number;
  readonly timeoutMs: number;
}

/** What the benchmark sends: `loaded` once the loader is done, then `serve` with what the gateway knows it by. */
export type SourceProcessCommand =
  | 'loaded'
  | { readonly kind: 'serve'; readonly signing: { readonly secret: string; readonly target: string }; readonly analyticsKeyHex: string }
  | 'reset'
  | 'counters'
  | 'stats';

export type SourceProcessMessage =
  | { readonly kind: 'ready'; readonly url: string; readonly system: string; readonly loadMs: number; readonly afterLoaderMs: number; readonly charts: number; readonly encounters: number; readonly resources: number }
  | { readonly kind: 'counters'; readonly bytes: number; readonly longestMs: number }
  | { readonly kind: 'stats'; readonly rssBytes: number; readonly peakRssBytes: number };

/** People read from the NDJSON file at a time for the FHIR server. */
const FHIR_CHUNK = 1_000;
/**
 * What the FHIR server is loaded with: the resources a population question reads (the fhir-r4
 * adapter's population searches Encounter, Condition and Patient), not the observations,
 * medications and procedures of the charts, which would only fill Medplum's in-memory repository.
 */
const ANALYTICS_RESOURCE_TYPES: ReadonlySet<string> = new Set(['Patient', 'Encounter', 'Condition']);

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
  let loaderDone = false;
  let loaderDoneAt = 0;
  const loaded = new Promise<void>((resolve) => {
    process.on('message', (message: SourceProcessCommand) => {
      if (message !== 'loaded') return;
      loaderDone = true;
      loaderDoneAt = performance.now();
      resolve();
    });
  });
  const serveCommand = new Promise<Extract<SourceProcessCommand, { kind: 'serve' }>>((resolve) => {
    process.on('message', (message: SourceProcessCommand) => {
      if (typeof message === 'object' && message.kind === 'serve') resolve(message);
    });
  });
  const population: Population = { seed: args.seed, facilities: [...args.facilities], people: [] };
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
  // Everything but serving: what the hospital holds once the loader is done.
  const prepare = async (): Promise<(common: DemoHospitalOptions) => Promise<DemoHospital>> => {
    switch (args.kind) {
      case 'sql-vendor':
      case 'sql-legacy': {
        await loaded;
        const schema = args.kind === 'sql-vendor' ? 'vendor' : 'legacy';
        const url = required(args.databaseUrl, 'databaseUrl');
        return (common) => startSqlDemoHospital({
          ...common,
          schema,
          connection: { dialect: schema === 'vendor' ? 'postgres' : 'mysql', url },
          seed: false,
          statementTimeoutMs: args.timeoutMs,
          connectTimeoutMs: 120_000,
        });
      }
      case 'xml130': {
        const adapter = await createXml130Adapter(
          { folder: required(args.folder, 'folder'), watch: false, debounceMs: 200, rescanIntervalMs: 3_600_000, limits: DEFAULT_XML130_LIMITS, index: { kind: 'postgres', url: required(args.indexUrl, 'indexUrl') } },
          { logger, facility: args.facility },
        );
        // Indexes what the loader has moved in so far, again and again, then once more after it is done.
        while (!loaderDone) {
          await Promise.race([loaded, new Promise((resolve) => setTimeout(resolve, 5_000))]);
          await adapter.refresh();
        }
        await adapter.refresh();
        const stats = adapter.stats();
        encounters = stats.hoso;
        charts = stats.patients;
        return (common) => serveDemoHospital(common, adapter, () => adapter.close());
      }
      case 'fhir': {
        await loaded;
        const accessToken = randomBytes(32).toString('base64url');
        const fhir = await startMedplumFhirServer({ logger, accessToken });
        // As loadPopulationIntoFhir writes: through the repository interface, with the charts' ids.
        const repo: FhirRepository = fhir.repo;
        const max = args.maxPeople ?? Number.POSITIVE_INFINITY;
        const maxHeapBytes = (args.maxHeapMb ?? Number.POSITIVE_INFINITY) * 1024 * 1024;
        let taken = 0;
        for await (const people of readPeople(required(args.ndjson, 'ndjson'), FHIR_CHUNK)) {
          const part = people.slice(0, Math.max(0, max - taken));
          // Medplum's repository is in memory: past the heap bound the server holds the charts loaded so far (reported).
          if (part.length === 0 || process.memoryUsage().heapUsed > maxHeapBytes) break;
          taken += part.length;
          count(part);
          for (const person of part) {
            for (const record of person.records) {
              if (record.facilityCode !== args.facility.code) continue;
              for (const resource of toFhirResources(person, record)) {
                if (!ANALYTICS_RESOURCE_TYPES.has(resource.resourceType)) continue;
                await repo.createResource(resource, { assignedId: true });
                resources += 1;
              }
            }
          }
        }
        const adapter = createFhirR4Adapter(
          fhirR4Config(fhir.baseUrl, { ...DEMO_FHIR_ADAPTER_SETTINGS, auth: { kind: 'bearer', token: accessToken }, pageSize: 1000, maxPages: 100_000, maxResources: 10_000_000, timeoutMs: args.timeoutMs }),
          { logger, facility: args.facility },
        );
        return (common) => serveDemoHospital(common, adapter, () => fhir.stop());
      }
      case 'synthetic': {
        await loaded;
        const people: SyntheticPerson[] = [];
        for await (const part of readPeople(required(args.ndjson, 'ndjson'), 10_000)) people.push(...part);
        count(people);
        return (common) => startDemoHospital({ ...common, population: { ...population, people } });
      }
    }
  };
  const serve = await prepare();
  const loadMs = performance.now() - started;
  const afterLoaderMs = performance.now() - loaderDoneAt;
  const { signing, analyticsKeyHex } = await serveCommand;
  const hospital = await serve({
    facility: args.facility,
    population,
    logger,
    host: '127.0.0.1',
    port: 0,
    signing,
    analyticsKey: Buffer.from(analyticsKeyHex, 'hex'),
  });

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
  process.on('message', (message: SourceProcessCommand) => {
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
  send({ kind: 'ready', url: hospital.url, system: hospital.system, loadMs, afterLoaderMs, charts, encounters, resources });
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
