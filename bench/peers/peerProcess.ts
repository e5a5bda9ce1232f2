import { createLogger } from '../../core/logging/logger';
import type { GatewayKind, PeerConfig, PeerMessage } from './peerConfig';

/**
 * One process of the comparison (forked by bench/runPeerBenchmark.ts): `subgraphs`, or one gateway.
 * Each gateway runs alone in its process so its CPU time and RSS are its own: a role loads only its
 * own modules (a gateway process holds no subgraph, adapter or synthetic population).
 */
async function main(): Promise<void> {
  const [role, configJson] = process.argv.slice(2);
  const config = JSON.parse(configJson ?? '{}') as PeerConfig;
  const logger = createLogger({ level: 'error' });
  const send = (message: PeerMessage): void => {
    process.send?.(message);
  };
  process.on('message', (message: unknown) => {
    if (message === 'stats') {
      const cpu = process.cpuUsage();
      send({ kind: 'stats', cpuMicros: cpu.user + cpu.system, rssBytes: process.memoryUsage().rss });
    }
  });
  process.on('disconnect', () => process.exit(0));
  if (role === 'subgraphs') {
    const [{ createDemoPopulation }, { servePeerSubgraphs }] = await Promise.all([import('../../demo/population/generatePopulation'), import('./servePeerSubgraphs')]);
    const population = createDemoPopulation();
    const facility = population.facilities.find((f) => f.code === config.facilityCode);
    if (!facility) throw new Error(`benchmark: unknown facility ${config.facilityCode}`);
    const ready = await servePeerSubgraphs(population, facility, config, logger);
    send({ kind: 'ready', url: ready.identityUrl ?? '', config: ready });
    return;
  }
  const { startPeerGateway } = await import('./startPeerGateway');
  send({ kind: 'ready', url: await startPeerGateway(role as GatewayKind, config, logger) });
}

main().catch((error: unknown) => {
  process.stderr.write(`benchmark process failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
