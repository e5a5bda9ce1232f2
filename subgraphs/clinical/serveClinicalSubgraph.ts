import type { Logger } from '../../core/logging/logger';
import { serveSubgraph, type RunningSubgraph, type SubgraphSigning, type SubgraphTls } from '../serveSubgraph';
import type { ClinicalAdapter, Facility } from '../../adapters/sdk/ClinicalAdapter';
import { createClinicalSubgraph } from '../../adapters/sdk/createClinicalSubgraph';
import type { MatchOptions } from '../../adapters/sdk/matchPatients';

export interface ClinicalSubgraphServerOptions {
  readonly facility: Facility;
  readonly adapter: ClinicalAdapter;
  readonly logger: Logger;
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly match?: MatchOptions;
  /** Request signing (target: the facility code); every deployed source has it. */
  readonly signing: SubgraphSigning;
  /** HTTPS, and with `clientCa` mutual TLS: only a gateway with a certificate from that CA connects (docs/security.md). */
  readonly tls?: SubgraphTls;
  /** The network's analytics key, for distinct-patient counts (see `createClinicalSubgraph`). */
  readonly analyticsKey?: Buffer;
}

/** Serves one facility's clinical subgraph over an adapter: what a hospital runs (docs/architecture.md §4). */
export function serveClinicalSubgraph(options: ClinicalSubgraphServerOptions): Promise<RunningSubgraph> {
  const { facility, adapter, logger } = options;
  const subgraph = createClinicalSubgraph({
    facility,
    adapter,
    logger,
    ...(options.match ? { match: options.match } : {}),
    ...(options.analyticsKey ? { analyticsKey: options.analyticsKey } : {}),
  });
  return serveSubgraph({
    name: `clinical-${facility.code}`,
    schema: subgraph.schema,
    context: subgraph.createContext,
    logger,
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    signing: options.signing,
    ...(options.tls ? { tls: options.tls } : {}),
  });
}
