import type { SubgraphTls } from '../../core/http/SubgraphTls';
import type { Logger } from '../../core/logging/logger';
import { serveSubgraph, type RunningSubgraph, type SubgraphSigning } from '../serveSubgraph';
import { createInsuranceSubgraph, type InsuranceSubgraphOptions } from './createInsuranceSubgraph';

export interface ServeInsuranceSubgraphOptions extends InsuranceSubgraphOptions {
  readonly logger: Logger;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Request signing (target: `insurance`); without it the subgraph accepts unsigned requests. */
  readonly signing: SubgraphSigning;
  /** HTTPS, with mutual TLS when `clientCa` is set (subgraphs/serveSubgraph.ts). */
  readonly tls?: SubgraphTls;
}

/** Serves the insurance subgraph over GraphQL-over-HTTP (subgraphs/serveSubgraph). */
export async function serveInsuranceSubgraph(options: ServeInsuranceSubgraphOptions): Promise<RunningSubgraph> {
  const { schema, createContext } = createInsuranceSubgraph(options);
  return serveSubgraph({
    name: 'insurance',
    schema,
    context: createContext,
    logger: options.logger,
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    signing: options.signing,
    ...(options.tls ? { tls: options.tls } : {}),
  });
}
