import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Client } from 'pg';
import { openSqlHisConnection } from '../../adapters/sql-his/openSqlHisConnection';
import type { SqlHisConnection } from '../../adapters/sql-his/SqlHisConnection';
import { createVendorHisTables } from '../../demo/his/createVendorHisTables';
import { insertRows } from '../../demo/his/insertRows';
import { createLegacyHisTables, legacyHisRows } from '../../demo/his/seedLegacyHis';
import { VendorIds, vendorHisRows } from '../../demo/his/seedVendorHis';
import { generatePeople, type PopulationOptions } from '../../demo/population/generatePopulation';
import type { Population, SyntheticPerson } from '../../demo/population/types';
import { writeXml130Folder } from '../../demo/xml130/writeXml130Folder';
import { copyRows } from './copyRows';

/**
 * The analytics benchmark's loader (bench/runAnalyticsBenchmark.ts), in a process of its own so
 * that its memory is not the gateway's: streams the synthetic population (generatePeople: never
 * the whole population at once, `chunkPeople` people at a time) into the sources of the five
 * hospitals at once — the vendor HIS on PostgreSQL by `COPY FROM STDIN` (copyRows), the legacy HIS
 * on MariaDB by multi-row INSERTs, the QĐ 130 folder file by file (each file written aside and
 * moved in whole, so the xml130 adapter can index the folder while it fills), and, for the
 * sources that keep their records in their own process (FHIR, the synthetic adapter), one
 * NDJSON line per person with that facility's chart, read by
 * bench/analytics/sourceProcess.ts. While it generates a chunk, the previous chunk is written.
 * Started with `fork`; its argument is the JSON of `LoadSourcesArguments`; it reports `progress`
 * and `done` on the IPC channel.
 */
export interface LoadSourcesArguments {
  readonly population: PopulationOptions;
  readonly postgres: { readonly facilityCode: string; readonly url: string };
  readonly mysql: { readonly facilityCode: string; readonly url: string };
  readonly xml130: { readonly facilityCode: string; readonly folder: string; readonly hosoPerFile: number };
  readonly ndjson: readonly { readonly facilityCode: string; readonly path: string }[];
  readonly chunkPeople: number;
}

/** What one facility's source received. */
export interface SourceLoadFigures {
  readonly facilityCode: string;
  /** People with a chart there. */
  readonly charts: number;
  readonly encounters: number;
  /** Its encounters and conditions as JSON (what a question would move if records moved). */
  readonly recordBytes: number;
  /** Time its writes took, overlapping the other sources' writes and the generation. */
  readonly writeMs: number;
}

export type LoadSourcesMessage =
  | { readonly kind: 'progress'; readonly people: number }
  | { readonly kind: 'done'; readonly totalMs: number; readonly peakRssBytes: number; readonly sources: readonly SourceLoadFigures[] };

const SETTINGS = { poolMax: 2, statementTimeoutMs: 3_600_000, connectTimeoutMs: 120_000 } as const;

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as LoadSourcesArguments;
  const started = performance.now();
  let peakRssBytes = 0;
  const sampler = setInterval(() => {
    peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss());
  }, 250);
  sampler.unref();
  const send = (message: LoadSourcesMessage): void => {
    if (process.connected) process.send?.(message);
  };

  const postgresTables = openSqlHisConnection({ dialect: 'postgres', url: args.postgres.url, ...SETTINGS }, { readOnly: false });
  await createVendorHisTables(postgresTables);
  await postgresTables.close();
  const postgres = new Client({ connectionString: args.postgres.url });
  await postgres.connect();
  const mysql: SqlHisConnection = openSqlHisConnection({ dialect: 'mysql', url: args.mysql.url, ...SETTINGS }, { readOnly: false });
  await createLegacyHisTables(mysql);
  await mkdir(args.xml130.folder, { recursive: true });
  const staging = `${args.xml130.folder}.staging`;
  await mkdir(staging, { recursive: true });
  const streams = new Map<string, WriteStream>(args.ndjson.map(({ facilityCode, path }) => [facilityCode, createWriteStream(path)]));

  const codes = args.population.facilities.map((f) => f.code);
  const figures = new Map(codes.map((code) => [code, { facilityCode: code, charts: 0, encounters: 0, recordBytes: 0, writeMs: 0 }]));
  const vendorIds = new VendorIds();
  const timed = async (code: string, write: () => Promise<unknown>): Promise<void> => {
    const at = performance.now();
    await write();
    const figure = figures.get(code);
    if (figure) figure.writeMs += performance.now() - at;
  };
  let chunkIndex = 0;
  const writeChunk = async (people: readonly SyntheticPerson[]): Promise<void> => {
    chunkIndex += 1;
    const index = chunkIndex;
    const part: Population = { seed: args.population.seed, facilities: [...args.population.facilities], people: [...people] };
    for (const person of people) {
      for (const record of person.records) {
        const figure = figures.get(record.facilityCode);
        if (!figure) continue;
        figure.charts += 1;
        figure.encounters += record.resources.encounters.length;
        figure.recordBytes += Buffer.byteLength(JSON.stringify(record.resources.encounters)) + Buffer.byteLength(JSON.stringify(record.resources.conditions));
      }
    }
    const vendorRows = vendorHisRows(part, args.postgres.facilityCode, vendorIds);
    const legacyRows = legacyHisRows(part, args.mysql.facilityCode);
    const xmlFacility = args.population.facilities.find((f) => f.code === args.xml130.facilityCode);
    if (!xmlFacility) throw new Error(`no facility ${args.xml130.facilityCode}`);
    await Promise.all([
      timed(args.postgres.facilityCode, async () => {
        for (const [table, rows] of Object.entries(vendorRows)) await copyRows(postgres, table, rows);
      }),
      timed(args.mysql.facilityCode, async () => {
        for (const [table, rows] of Object.entries(legacyRows)) await insertRows(mysql, table, rows);
      }),
      timed(args.xml130.facilityCode, async () => {
        // Written beside the folder and moved in whole: the xml130 adapter indexes the folder while it fills.
        const written = await writeXml130Folder({
          population: part,
          facility: xmlFacility,
          folder: staging,
          hosoPerFile: args.xml130.hosoPerFile,
          fileName: (n) => `${xmlFacility.code}_${String(index).padStart(5, '0')}_${String(n).padStart(3, '0')}.xml`,
        });
        for (const file of written.files) await rename(file, join(args.xml130.folder, basename(file)));
      }),
      ...[...streams].map(([code, stream]) => timed(code, async () => {
        const lines = people.flatMap((person) => {
          const records = person.records.filter((r) => r.facilityCode === code);
          return records.length === 0 ? [] : [`${JSON.stringify({ ...person, records })}\n`];
        });
        if (!stream.write(lines.join(''))) await once(stream, 'drain');
      })),
    ]);
  };

  // Chunk n is written while chunk n + 1 is generated (generation is synchronous; the writes are I/O).
  let pending: Promise<void> = Promise.resolve();
  let chunk: SyntheticPerson[] = [];
  let generated = 0;
  for (const person of generatePeople(args.population)) {
    chunk.push(person);
    generated += 1;
    if (chunk.length < args.chunkPeople) continue;
    const ready = chunk;
    chunk = [];
    await pending;
    pending = writeChunk(ready);
    pending.catch(() => undefined); // awaited on the next chunk or below
    send({ kind: 'progress', people: generated });
  }
  await pending;
  if (chunk.length > 0) await writeChunk(chunk);
  await Promise.all([...streams.values()].map((stream) => new Promise((resolve) => stream.end(resolve))));
  await postgres.query('ANALYZE');
  await postgres.end();
  await mysql.close();
  send({ kind: 'done', totalMs: performance.now() - started, peakRssBytes: Math.max(peakRssBytes, process.memoryUsage.rss()), sources: [...figures.values()] });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
