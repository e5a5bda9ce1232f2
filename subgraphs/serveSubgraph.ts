import { createServer, type RequestListener } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from '../core/logging/logger';
import { formatSubgraphError } from './formatSubgraphError';
import { createHttpHandler } from './http/createHttpHandler';
import { requireSignature, type SubgraphRequestFacts, type SubgraphSigning } from './http/requireSignature';
import type { SubgraphTls } from '../core/http/SubgraphTls';

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
  /**
   * Serve HTTPS with this certificate and key (PEM); with `clientCa`, require every client to
   * present a certificate signed by that CA (mutual TLS, docs/security.md): a connection without
   * one, or with one from another CA, is closed during the handshake, before any request is read.
   */
  readonly tls?: SubgraphTls;
}

export type { SubgraphTls } from '../core/http/SubgraphTls';

export interface RunningSubgraph {
  readonly name: string;
  /** GraphQL-over-HTTP endpoint, `http://host:port/` (`https://` when served over TLS). */
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
  const handler: RequestListener = createHttpHandler({
    server,
    logger,
    isReady: () => ready,
    maxBodyBytes: options.maxBodyBytes ?? 50 * 1024 * 1024,
    graphqlPath: GRAPHQL_PATH,
    authenticate,
    context: options.context,
  });
  const httpServer = options.tls ? createHttpsServer(httpsOptions(options.tls), handler) : createServer(handler);
  // The handshake refusal is the only trace of a client without the right certificate: log why.
  httpServer.on('tlsClientError', (error: Error) => logger.warn('subgraph.tls_refused', { reason: error.message }));
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
    url: urlOf(options.tls ? 'https' : 'http', address, port),
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
function urlOf(scheme: 'http' | 'https', address: string, port: number): string {
  const hostname = address === '' || address === '::' ? 'localhost' : address;
  return `${scheme}://${hostname.includes(':') ? `[${hostname}]` : hostname}:${port}${GRAPHQL_PATH}`;
}

function httpsOptions(tls: SubgraphTls): { cert: string; key: string; ca?: string; requestCert: boolean; rejectUnauthorized: boolean } {
  return tls.clientCa === undefined
    ? { cert: tls.cert, key: tls.key, requestCert: false, rejectUnauthorized: false }
    : { cert: tls.cert, key: tls.key, ca: tls.clientCa, requestCert: true, rejectUnauthorized: true };
}
