import { loadavg } from 'node:os';
import { FhirR4Adapter } from '../../adapters/fhir-r4/FhirR4Adapter';
import { fhirR4Config } from '../../adapters/fhir-r4/FhirR4Config';
import type { PopulationQuery } from '../../adapters/sdk/population/PopulationQuery';
import { silentLogger } from '../../core/logging/logger';
import { loadPopulationIntoFhir } from '../../demo/fhir/loadPopulationIntoFhir';
import { startMedplumFhirServer } from '../../demo/fhir/startMedplumFhirServer';
import { DEMO_FHIR_ADAPTER_SETTINGS } from '../../demo/hospitals/startFhirDemoHospital';
import { DEMO_FACILITIES, DEMO_SEED, generatePopulation } from '../../demo/population/generatePopulation';

/**
 * The FHIR adapter's answers to the analytics benchmark's questions (bench/runAnalyticsBenchmark.ts),
 * timed on their own: one Medplum stand-in (demo/fhir) loaded with the FHIR facility's charts, the
 * adapter over HTTP in the same process, no gateway. `BENCH_PEOPLE` people over the benchmark's five
 * facilities; prints per question the time, searches and HTTP requests. A profile, not a record:
 * `npx tsx bench/analytics/profileFhirPopulation.ts`.
 */
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 20_000);
const FACILITY = '01901';
const FACILITIES = [...DEMO_FACILITIES, { code: '31905', name: 'Bệnh viện Đa khoa Cửa Cấm (benchmark)' }];
const ALL: Omit<PopulationQuery, 'measure' | 'groupBy'> = { from: null, to: null, icd10Prefixes: null, encounterClasses: null };

const QUESTIONS: readonly { readonly label: string; readonly query: PopulationQuery | null }[] = [
  { label: 'encounter total', query: null },
  { label: 'encounters by facility × month', query: { ...ALL, measure: 'ENCOUNTERS', groupBy: ['FACILITY', 'MONTH'] } },
  { label: 'conditions by ICD-10 chapter × sex', query: { ...ALL, measure: 'CONDITIONS', groupBy: ['ICD10_CHAPTER', 'SEX'] } },
  { label: 'encounters by age band × sex', query: { ...ALL, measure: 'ENCOUNTERS', groupBy: ['AGE_BAND', 'SEX'] } },
  { label: 'E11 patients by province × age band', query: { ...ALL, measure: 'PATIENTS', groupBy: ['PROVINCE', 'AGE_BAND'], icd10Prefixes: ['E11'] } },
  { label: 'all patients by province × age band', query: { ...ALL, measure: 'PATIENTS', groupBy: ['PROVINCE', 'AGE_BAND'] } },
  { label: 'encounters by month × class, 2025', query: { ...ALL, measure: 'ENCOUNTERS', groupBy: ['MONTH', 'ENCOUNTER_CLASS'], from: '2025-01-01', to: '2025-12-31' } },
];

async function main(): Promise<void> {
  const only = process.env.BENCH_QUESTIONS?.split(',').map(Number);
  const population = generatePopulation({ seed: DEMO_SEED, size: PEOPLE, facilities: FACILITIES });
  const fhir = await startMedplumFhirServer({ logger: silentLogger });
  const loaded = await loadPopulationIntoFhir(fhir.repo, population, FACILITY);
  const facility = FACILITIES.find((f) => f.code === FACILITY) ;
  if (!facility) throw new Error(`no facility ${FACILITY}`);
  const adapter = new FhirR4Adapter(
    fhirR4Config(fhir.baseUrl, { ...DEMO_FHIR_ADAPTER_SETTINGS, pageSize: 1000, maxPages: 100_000, maxResources: 10_000_000, timeoutMs: 600_000 }),
    { logger: silentLogger, facility },
  );
  const encounters = await adapter.encounterCount({ from: null, to: null });
  process.stdout.write(`${PEOPLE} people; FHIR ${FACILITY}: ${loaded.patients} patients, ${encounters} encounters, ${loaded.resources} resources; load ${load()}\n`);
  try {
    for (const [i, question] of QUESTIONS.entries()) {
      if (only && !only.includes(i)) continue;
      adapter.resetStats();
      const started = performance.now();
      const counts = question.query === null
        ? [await adapter.encounterCount({ from: null, to: null })]
        : (await adapter.population(question.query, (basis) => `${basis.kind}:${basis.value}`)).map((row) => row.count);
      const ms = performance.now() - started;
      const { searches, requests } = adapter.stats();
      const total = counts.reduce((sum, count) => sum + count, 0);
      process.stdout.write(`${question.label}: ${(ms / 1000).toFixed(1)} s, ${searches} searches, ${requests} requests, ${counts.length} cells, sum ${total}; load ${load()}\n`);
    }
  } finally {
    await adapter.close();
    await fhir.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

function load(): string {
  return (loadavg()[0] ?? 0).toFixed(1);
}
