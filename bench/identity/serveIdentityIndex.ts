import { createLogger } from '../../core/logging/logger';
import { createIdentitySubgraph } from '../../subgraphs/identity/createIdentitySubgraph';
import { openSqlPatientIndex } from '../../subgraphs/identity/openSqlPatientIndex';
import { serveSubgraph } from '../../subgraphs/serveSubgraph';

/**
 * The identity subgraph on a PostgreSQL patient index, in its own process, for the identity
 * benchmark (bench/runIdentityBenchmark.ts): what `identity serve` runs with `index: kind: postgres`
 * and no VSS (the locator answers from the index's links). Prints its URL as one line, then serves
 * until killed. BENCH_INDEX_URL names the index, BENCH_SIGNING_SECRET the identity target's secret.
 */
async function main(): Promise<void> {
  const url = process.env.BENCH_INDEX_URL;
  const secret = process.env.BENCH_SIGNING_SECRET;
  if (!url || !secret) throw new Error('serveIdentityIndex: BENCH_INDEX_URL and BENCH_SIGNING_SECRET are required');
  const logger = createLogger({ level: 'warn' }).child({ service: 'identity' });
  const index = await openSqlPatientIndex({ kind: 'postgres', url });
  const subgraph = createIdentitySubgraph({ index, locator: { facilityCodesOf: async (queries) => queries.map(() => []) }, logger, matching: index });
  const running = await serveSubgraph({
    name: 'identity', schema: subgraph.schema, context: subgraph.createContext, logger, host: '127.0.0.1', port: 0,
    signing: { secret, target: 'identity' },
  });
  process.stdout.write(`${running.url}\n`);
  const stop = (): void => {
    void running.stop().then(() => index.close()).then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
