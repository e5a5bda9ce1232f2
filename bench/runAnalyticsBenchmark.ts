import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { createLogger } from '../core/logging/logger';
import { DEMO_FACILITIES, DEMO_SEED, generatePopulation } from '../demo/population/generatePopulation';
import { issueDevelopmentToken } from '../gateway/auth/developmentAuth';
import { startDemoNetwork } from '../demo/startDemoNetwork';
import { recordBenchmarkResults } from './recordBenchmarkResults';

/**
 * Federated analytics (docs/analytics.md): population questions over synthetic encounters spread
 * over five synthetic hospitals, through the real gateway over real HTTP. For each question: the
 * time of the answer (median of BENCH_RUNS), and the bytes the hospitals sent to the gateway for
 * it (counted at the hospitals' HTTP servers, headers included), against the size of the records
 * the question counts (the encounters and conditions of those hospitals as JSON). Results go to
 * bench/RESULTS.md.
 *
 * Run: `npm run bench:analytics` (BENCH_ANALYTICS_PEOPLE=25000 people, about 100,000 encounters;
 * BENCH_RUNS=3).
 */
const PEOPLE = Number(process.env.BENCH_ANALYTICS_PEOPLE ?? 25_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const MB = 1024 * 1024;

/** A fifth demo facility, so the encounters are spread over five sources. */
const FACILITIES = [...DEMO_FACILITIES, { code: '31905', name: 'Bệnh viện Đa khoa Cửa Cấm (benchmark)' }];

const QUESTIONS: readonly { readonly label: string; readonly query: string }[] = [
  { label: 'encounter total', query: '{ encounterCount }' },
  { label: 'encounters by facility × month', query: '{ population(measure: ENCOUNTERS, groupBy: [FACILITY, MONTH]) { key count suppressed } }' },
  { label: 'conditions by ICD-10 chapter × sex', query: '{ population(measure: CONDITIONS, groupBy: [ICD10_CHAPTER, SEX]) { key count suppressed } }' },
  { label: 'E11 patients by province × age band (distinct)', query: '{ population(measure: PATIENTS, groupBy: [PROVINCE, AGE_BAND], icd10Prefixes: ["E11"]) { key count suppressed } }' },
  { label: 'all patients by province × age band (distinct)', query: '{ population(measure: PATIENTS, groupBy: [PROVINCE, AGE_BAND]) { key count suppressed } }' },
];

interface Row {
  readonly label: string;
  readonly medianMs: number;
  readonly sourceBytes: number;
  readonly cells: number;
}

async function main(): Promise<void> {
  const generationStarted = performance.now();
  const population = generatePopulation({ seed: DEMO_SEED, size: PEOPLE, facilities: FACILITIES });
  const generationSeconds = (performance.now() - generationStarted) / 1000;
  let encounters = 0;
  let recordBytes = 0;
  for (const person of population.people) {
    for (const record of person.records) {
      encounters += record.resources.encounters.length;
      recordBytes += Buffer.byteLength(JSON.stringify(record.resources.encounters)) + Buffer.byteLength(JSON.stringify(record.resources.conditions));
    }
  }

  const network = await startDemoNetwork({ logger: createLogger({ level: 'error' }), population, hospitalKinds: 'synthetic' });
  const hospitalPorts = new Set(network.hospitals.map((h) => Number(new URL(h.url).port)));
  let sourceBytes = 0;
  // Bytes each hospital server wrote on a connection, as a delta per response (keep-alive sockets).
  const written = new WeakMap<Socket, number>();
  subscribe('http.server.response.finish', (message) => {
    const { response } = message as { request: IncomingMessage; response: ServerResponse };
    const socket = response.socket;
    if (!socket || !hospitalPorts.has(socket.localPort ?? -1)) return;
    const before = written.get(socket) ?? 0;
    written.set(socket, socket.bytesWritten);
    sourceBytes += socket.bytesWritten - before;
  });
  const token = await issueDevelopmentToken({ role: 'analyst', sub: 'bench-analytics' });
  const rows: Row[] = [];
  try {
    for (const question of QUESTIONS) {
      const times: number[] = [];
      let bytes = 0;
      let cells = 0;
      for (let run = 0; run < RUNS; run += 1) {
        const bytesBefore = sourceBytes;
        const started = performance.now();
        const response = await fetch(network.gateway.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: question.query }),
        });
        const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
        times.push(performance.now() - started);
        if (!response.ok || body.errors) throw new Error(`${question.label}: ${response.status} ${JSON.stringify(body.errors)}`);
        // Responses finish before the gateway's answer does; wait a tick for the last channel message.
        await new Promise((resolve) => setImmediate(resolve));
        bytes = sourceBytes - bytesBefore;
        const answer = Object.values(body.data ?? {})[0];
        cells = Array.isArray(answer) ? answer.length : 1;
      }
      rows.push({ label: question.label, medianMs: median(times), sourceBytes: bytes, cells });
    }
  } finally {
    await network.stop();
  }

  const sources = population.facilities.length;
  recordBenchmarkResults(
    [
      `## Federated analytics: population questions answered at ${sources} sources (${new Date().toISOString().slice(0, 10)})`,
      '',
      `Command: \`BENCH_ANALYTICS_PEOPLE=${PEOPLE} BENCH_RUNS=${RUNS} npm run bench:analytics\` — one Node ${process.version} process on this 2-core machine, which other work was loading at the same time (times are upper bounds). ${PEOPLE.toLocaleString('en')} synthetic people (seed ${DEMO_SEED}, generated in ${generationSeconds.toFixed(0)} s), ${encounters.toLocaleString('en')} encounters over ${sources} synthetic hospitals (in-memory adapters behind real clinical subgraphs over HTTP, signed requests), the real gateway with default disclosure control. The records those encounters and their conditions make as JSON: **${(recordBytes / MB).toFixed(1)} MB**. Bytes from sources: what the hospitals' HTTP servers wrote for the question (headers included), counted through \`diagnostics_channel\`.`,
      '',
      '| Question | Median time (ms) | Bytes from sources | vs records | Cells released or suppressed |',
      '|---|---:|---:|---:|---:|',
      ...rows.map((r) => `| ${r.label} | ${r.medianMs.toFixed(0)} | ${r.sourceBytes.toLocaleString('en')} | ${((100 * r.sourceBytes) / recordBytes).toFixed(3)} % | ${r.cells} |`),
      '',
      'Counts (encounters, conditions) move as cells: their bytes grow with the number of cells, not of records. Distinct-patient counts move one keyed pseudonym per person and cell from each source (so the gateway can count a person treated at several hospitals once): their bytes grow with the people counted — still a fraction of the records, but not constant (docs/analytics.md, "What moves from the hospitals to the gateway").',
      '',
    ].join('\n'),
  );
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
