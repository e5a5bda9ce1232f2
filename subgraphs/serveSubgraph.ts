import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from '../core/logging/logger';
import { formatSubgraphError } from './formatSubgraphError';
import { createHttpHandler } from './http/createHttpHandler';
import { requireSignature, type SubgraphRequestFacts, type SubgraphSigning } from './http/requireSignature';

export type { SubgraphRequestFacts, SubgraphSigning };

export interface SubgraphServerOptions<TContext extends BaseContext> {
  readonly name: string;
  readonly schema: GraphQLSchema;
  /**
   * Builds the per-request context (fresh DataLoaders for every request), given what the edge
   * established about the request (the principal the gateway signed for).
   */
  readonly context: (facts: SubgraphRequestFacts) => Promise<TContext>;
  readonly logger: Logger;
  /**
   * Request signing (docs/architecture.md §6): every request must be signed by the gateway for `target`;
   * unsigned, wrongly signed, stale and replayed requests get 401. There is no unsigned mode.
   */
  readonly signing: SubgraphSigning;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** Default 50 MB (the limit Apollo's standalone server had): `_entities` batches can be large. */
  readonly maxBodyBytes?: number;
}

export interface RunningSubgraph {
  readonly name: string;
  /** GraphQL-over-HTTP endpoint, `http://host:port/`. */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

const GRAPHQL_PATH = '/';

/**
 * Serves one subgraph over GraphQL-over-HTTP through the shared HTTP edge (`subgraphs/http`), so
 * signatures are checked on the exact bytes received before anything is parsed. Errors leave
 * through `formatSubgraphError`: coded, no stack traces, no patient data.
 */
export async function serveSubgraph<TContext extends BaseContext>(options: SubgraphServerOptions<TContext>): Promise<RunningSubgraph> {
  const logger = options.logger.child({ subgraph: options.name });
  const authenticate = requireSignature(options.signing, logger);
  const server = new ApolloServer<TContext>({
    schema: options.schema,
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) => formatSubgraphError(formatted, error, logger),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  await server.start();
  let ready = true;
  const httpServer = createServer(
    createHttpHandler({
      server,
      logger,
      isReady: () => ready,
      maxBodyBytes: options.maxBodyBytes ?? 50 * 1024 * 1024,
      graphqlPath: GRAPHQL_PATH,
      authenticate,
      context: options.context,
    }),
  );
  const host = options.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(options.port ?? 0, host, () => resolve());
    });
  } catch (error) {
    await server.stop();
    throw error;
  }
  const { address, port } = httpServer.address() as AddressInfo;
  logger.debug('subgraph.started', { port });
  return {
    name: options.name,
    url: urlOf(address, port),
    port,
    stop: async () => {
      ready = false;
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      });
      await server.stop();
    },
  };
}

/** As Apollo's standalone server reported it: a wildcard address is reached as localhost. */
function urlOf(address: string, port: number): string {
  const hostname = address === '' || address === '::' ? 'localhost' : address;
  return `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${port}${GRAPHQL_PATH}`;
}
