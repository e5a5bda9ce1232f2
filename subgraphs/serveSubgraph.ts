import type { AddressInfo } from 'node:net';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from '../core/logging/logger';
import { formatSubgraphError } from './formatSubgraphError';

export interface SubgraphServerOptions<TContext extends BaseContext> {
  readonly name: string;
  readonly schema: GraphQLSchema;
  /** Builds the per-request context (fresh DataLoaders for every request). */
  readonly context: () => Promise<TContext>;
  readonly logger: Logger;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
}

export interface RunningSubgraph {
  readonly name: string;
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * Serves one subgraph over GraphQL-over-HTTP (Apollo Server standalone). Errors leave through
 * `formatSubgraphError`: coded, no stack traces, no patient data.
 */
export async function serveSubgraph<TContext extends BaseContext>(
  options: SubgraphServerOptions<TContext>,
): Promise<RunningSubgraph> {
  const logger = options.logger.child({ subgraph: options.name });
  const server = new ApolloServer<TContext>({
    schema: options.schema,
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) => formatSubgraphError(formatted, error, logger),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const host = options.host ?? '127.0.0.1';
  const { url } = await startStandaloneServer(server, {
    listen: { host, port: options.port ?? 0 },
    context: options.context,
  });
  const port = Number(new URL(url).port);
  logger.debug('subgraph.started', { port });
  return {
    name: options.name,
    url,
    port,
    stop: async () => {
      await server.stop();
    },
  };
}

export type { AddressInfo };
