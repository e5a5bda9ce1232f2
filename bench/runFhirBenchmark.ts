import { loadavg } from 'node:os';
import type { BirthDateSearch } from '../adapters/fhir-r4/FhirR4Config';
import { createLogger } from '../core/logging/logger';
import { startFhirDemoHospital, type FhirDemoHospital } from '../demo/hospitals/startFhirDemoHospital';
import { DEMO_FACILITIES, DEMO_SEED, generatePopulation } from '../demo/population/generatePopulation';
import type { SyntheticPerson } from '../demo/population/types';
import { patientRepresentation } from '../demo/patientRepresentation';
import { recordBenchmarkResults } from './recordBenchmarkResults';
import { benchSigning, signedHeaders } from './benchSigning';

/**
 * Patients per second through one FHIR hospital's clinical subgraph: federation `_entities`
 * requests of 1, 10 and 100 patients asking for every kind of record, over real HTTP to the
 * subgraph and from the fhir-r4 adapter to a Medplum FHIR server — all in this process, with the
 * load generator. Results go to bench/RESULTS.md.
 *
 * Each size runs twice: with demographic candidates (the demo's birth-date batch: one FHIR batch
 * holding one `Patient?birthdate=` search per person, which Medplum's MemoryRepository answers by
 * scanning every Patient each time) and without them (`birthDateSearch: off`), to show that cost.
 *
 * Run: `npm run bench:fhir` (BENCH_SECONDS=10, BENCH_CONNECTIONS=2 by default).
 */
const ENTITIES = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Patient {
      nationalId
      encounters { id class status period { start end } diagnoses { code { system code display } role rank } departmentCodes source { facilityCode } match { method confidence } }
      conditions { id code { system code display } clinicalStatus recordedDate encounterId }
      observations { id status code { system code display } valueQuantity { value unit code } interpretation effectiveDateTime encounterId }
      medications { id status medication { system code display } dosageText quantity { value unit } route authoredOn encounterId }
      procedures { id status code { system code display } performedDateTime encounterId }
      allergies { id code { system code display } category criticality reactionText recordedDate }
    }
  }
}`;

const BATCH_SIZES = [1, 10, 100] as const;
const BIRTH_DATE_SEARCHES: readonly BirthDateSearch[] = ['batch', 'off'];

interface Result {
  readonly birthDateSearch: BirthDateSearch;
  readonly patientsPerRequest: number;
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly patientsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly searchesPerRequest: number;
  readonly httpRequestsPerRequest: number;
  readonly errors: number;
}

async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 2);
  const population = generatePopulation({ seed: DEMO_SEED, size: 500, facilities: DEMO_FACILITIES });
  const facility = DEMO_FACILITIES[0] as (typeof DEMO_FACILITIES)[number];
  const logger = createLogger({ level: 'error' });
  const started = performance.now();
  const hospitals = new Map<BirthDateSearch, FhirDemoHospital>();
  try {
    for (const birthDateSearch of BIRTH_DATE_SEARCHES) {
      hospitals.set(birthDateSearch, await startFhirDemoHospital({ facility, population, logger, adapter: { birthDateSearch }, signing: benchSigning(facility.code) }));
    }
    const startupMs = Math.round(performance.now() - started);
    const hospital = hospitals.get('batch') as FhirDemoHospital;
    const people = population.people.filter((p) => p.records.some((r) => r.facilityCode === facility.code));
    const results: Result[] = [];
    for (const size of BATCH_SIZES) {
      const bodies = groups(people, size).map((group) => JSON.stringify({ query: ENTITIES, variables: { representations: group.map(patientRepresentation) } }));
      for (const [birthDateSearch, target] of hospitals) {
        await run(target, birthDateSearch, bodies, size, Math.min(2, seconds), connections); // warm-up (JIT)
        results.push(await run(target, birthDateSearch, bodies, size, seconds, connections));
      }
    }
    report(results, {
      seconds,
      connections,
      patients: hospital.loaded.patients,
      resources: hospital.loaded.resources,
      definitionsIndexMs: hospital.fhir.startup.definitionsIndexMs,
      loadMs: hospital.loaded.durationMs,
      startupMs,
      rssMb: Math.round(process.memoryUsage().rss / 1024 / 1024),
    });
  } finally {
    for (const hospital of hospitals.values()) await hospital.stop();
  }
}

/** Runs `connections` clients posting the request bodies in turn for `seconds`. */
async function run(
  hospital: FhirDemoHospital,
  birthDateSearch: BirthDateSearch,
  bodies: readonly string[],
  size: number,
  seconds: number,
  connections: number,
): Promise<Result> {
  hospital.adapter.resetStats();
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const deadline = performance.now() + seconds * 1000;
  const client = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const body = bodies[next++ % bodies.length] as string;
      const sent = performance.now();
      const response = await fetch(hospital.url, { method: 'POST', headers: signedHeaders(hospital.facility.code, body), body });
      const answer = (await response.json()) as { data?: { _entities?: unknown[] }; errors?: unknown[] };
      latencies.push(performance.now() - sent);
      if (!response.ok || answer.errors !== undefined || answer.data?._entities?.length !== size) errors += 1;
    }
  };
  const begun = performance.now();
  await Promise.all(Array.from({ length: connections }, client));
  const elapsed = (performance.now() - begun) / 1000;
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number): number => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  const stats = hospital.adapter.stats();
  return {
    birthDateSearch,
    patientsPerRequest: size,
    requests: latencies.length,
    requestsPerSecond: round(latencies.length / elapsed),
    patientsPerSecond: Math.round((latencies.length * size) / elapsed),
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    searchesPerRequest: round(stats.searches / latencies.length),
    httpRequestsPerRequest: round(stats.requests / latencies.length),
    errors,
  };
}

/** Consecutive groups of `size` people, wrapping around, so requests differ but sizes do not. */
function groups(people: readonly SyntheticPerson[], size: number): SyntheticPerson[][] {
  const count = Math.max(1, Math.floor(people.length / size));
  return Array.from({ length: count }, (_, g) => Array.from({ length: size }, (__, i) => people[(g * size + i) % people.length] as SyntheticPerson));
}


function round(value: number): number {
  return Math.round(value * 10) / 10;
}

interface RunFacts {
  readonly seconds: number;
  readonly connections: number;
  readonly patients: number;
  readonly resources: number;
  readonly definitionsIndexMs: number;
  readonly loadMs: number;
  readonly startupMs: number;
  readonly rssMb: number;
}

function report(results: readonly Result[], run: RunFacts): void {
  const lines = [
    `### FHIR hospital subgraph (fhir-r4 adapter over Medplum 4.5.2) — ${new Date().toISOString().slice(0, 10)}`,
    '',
    `Command: \`BENCH_SECONDS=${run.seconds} BENCH_CONNECTIONS=${run.connections} npm run bench:fhir\` (one Node process on this 2-core machine: a Medplum FHIR server with ${run.patients} patients / ${run.resources} resources in its MemoryRepository, the clinical subgraph over the fhir-r4 adapter, and ${run.connections} clients posting \`_entities\` for every kind of record; two such hospitals, with and without the birth-date search). Start-up: FHIR definitions indexed in ${run.definitionsIndexMs} ms (once per process), charts loaded in ${run.loadMs} ms, both hospitals up in ${run.startupMs} ms. Process RSS at the end: ${run.rssMb} MB; load average at the end: ${loadavg()[0]?.toFixed(1)} (other processes included).`,
    '',
    '| patients per request | birth-date search | requests | req/s | patients/s | p50 ms | p99 ms | FHIR searches per request | HTTP requests to FHIR per request | errors |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...results.map((r) => `| ${r.patientsPerRequest} | ${r.birthDateSearch} | ${r.requests} | ${r.requestsPerSecond} | ${r.patientsPerSecond} | ${r.p50Ms} | ${r.p99Ms} | ${r.searchesPerRequest} | ${r.httpRequestsPerRequest} | ${r.errors} |`),
    '',
  ];
  recordBenchmarkResults(lines.join('\n'));
}

main().catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
