import { randomBytes } from 'node:crypto';
import { createLogger } from '../../core/logging/logger';
import { loadPopulationIntoFhir } from '../../demo/fhir/loadPopulationIntoFhir';
import { startMedplumFhirServer } from '../../demo/fhir/startMedplumFhirServer';
import { generatePopulation, type PopulationOptions } from '../../demo/population/generatePopulation';

/**
 * The analytics benchmark's FHIR source in a process of its own (bench/runAnalyticsBenchmark.ts):
 * the demo's Medplum server (demo/fhir/startMedplumFhirServer.ts) loaded with one facility's charts
 * of the same synthetic population (same seed, size and facilities: generatePopulation is
 * deterministic), so that the FHIR server's work and memory are not counted in the process that
 * runs the gateway. Started with `fork`; its argument is the JSON of `FhirSourceArguments`. It
 * answers on the IPC channel: `ready` once loaded, `stats` (its RSS) when asked; it ends when
 * the channel closes.
 */
export interface FhirSourceArguments {
  readonly population: PopulationOptions;
  readonly facilityCode: string;
}

export type FhirSourceMessage =
  | { readonly kind: 'ready'; readonly baseUrl: string; readonly accessToken: string; readonly resources: number; readonly generateMs: number; readonly loadMs: number }
  | { readonly kind: 'stats'; readonly rssBytes: number; readonly peakRssBytes: number };

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as FhirSourceArguments;
  // The benchmark may be gone (it stops asking after its own timeout): a reply it cannot receive is dropped.
  const send = (message: FhirSourceMessage): void => {
    if (process.connected) process.send?.(message, undefined, undefined, () => undefined);
  };
  let peakRssBytes = 0;
  const sampler = setInterval(() => {
    peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss());
  }, 250);
  sampler.unref();
  const generated = performance.now();
  let population: ReturnType<typeof generatePopulation> | null = generatePopulation(args.population);
  const generateMs = performance.now() - generated;
  // The server requires the credentials its adapter uses, like a hospital's would (startFhirDemoHospital).
  const accessToken = randomBytes(32).toString('base64url');
  const fhir = await startMedplumFhirServer({ logger: createLogger({ level: 'error' }), accessToken });
  const loaded = await loadPopulationIntoFhir(fhir.repo, population, args.facilityCode);
  // Only the FHIR server's repository stays in this process.
  population = null;
  process.on('message', (message) => {
    if (message === 'stats') send({ kind: 'stats', rssBytes: process.memoryUsage.rss(), peakRssBytes: Math.max(peakRssBytes, process.memoryUsage.rss()) });
  });
  process.on('disconnect', () => {
    void fhir.stop().finally(() => process.exit(0));
  });
  send({ kind: 'ready', baseUrl: fhir.baseUrl, accessToken, resources: loaded.resources, generateMs, loadMs: loaded.durationMs });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
