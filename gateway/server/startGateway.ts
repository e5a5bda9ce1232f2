import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { Logger } from '../../core/logging/logger';
import { loadContract } from '../../subgraphs/contracts';
import { ClinicalNetworkDataSource } from '../network/ClinicalNetworkDataSource';
import { loadMergeContract } from '../network/loadMergeContract';
import { SingleSourceDataSource } from '../network/SingleSourceDataSource';
import { AccessRules } from '../network/AccessRules';
import { CareGuardedDataSource } from '../network/CareGuardedDataSource';
import { identifierValidationPlugin } from '../plugins/identifierValidationPlugin';
import { readIdentifierArguments } from '../plugins/identifierArguments';
import type { RegisteredSource, SourceRegistry } from '../sources/RegisteredSource';
import { composeSupergraph } from '../supergraph/composeSupergraph';
import { createHttpHandler } from '../../subgraphs/http/createHttpHandler';
import { formatGatewayError } from './formatGatewayError';
import { AccessDataSource } from '../access/AccessDataSource';
import { createAccessSubgraph } from '../access/createAccessSubgraph';
import type { AuditLog } from '../audit/AuditLog';
import type { AuthConfig } from '../auth/AuthConfig';
import { createTokenVerifier } from '../auth/createTokenVerifier';
import { auditPlugin } from '../plugins/auditPlugin';
import type { Principal } from '../../core/security/Principal';
import { InMemoryRateLimiter } from '../limits/InMemoryRateLimiter';
import { DEFAULT_OPERATION_LIMITS, type OperationLimits } from '../limits/OperationLimits';
import { operationLimitsPlugin } from '../limits/operationLimitsPlugin';
import type { OperationSafelist } from '../limits/OperationSafelist';
import { patientGraphCostModel } from '../limits/patientGraphCostModel';
import type { RateLimit, RateLimiter } from '../limits/RateLimiter';
import { rateLimitPlugin } from '../limits/rateLimitPlugin';
import { rateLimitsByRole } from '../limits/rateLimitsByRole';
import { safelistPlugin, type SafelistMode } from '../limits/safelistPlugin';
import { locatorExtensionsPlugin } from '../plugins/locatorExtensionsPlugin';
import { fieldPolicyPlugin } from '../policy/fieldPolicyPlugin';
import { readFieldRequirements } from '../policy/readFieldRequirements';
import { ROLE_POLICIES } from '../policy/rolePolicies';
import type { ConsentStore } from '../state/ConsentStore';
import type { GrantStore } from '../state/GrantStore';
import { CONTRACT_NAMES } from '../../subgraphs/contracts';
import { authenticateBearer } from './authenticateBearer';
import { newTouchedByRequest, type GatewayContext } from './GatewayContext';
import type { CorsOptions } from '../explorer/CorsPolicy';
import { withExplorerAndCors } from '../explorer/withExplorerAndCors';
import { withFhirRoutes } from '../fhir/withFhirRoutes';
import { apiSchemaOf } from '../supergraph/apiSchemaOf';

export interface GatewayOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly identity: RegisteredSource;
  readonly insurance: RegisteredSource;
  /** The hospitals serving the clinical contract. */
  readonly clinicalSources: SourceRegistry;
  readonly logger: Logger;
  /** Schema introspection for clients (on in development, off by default in production). */
  readonly introspection: boolean;
  readonly maxBodyBytes?: number;
  readonly circuitBreaker?: { readonly failureThreshold: number; readonly openMs: number };
  /** How bearer tokens are verified. */
  readonly auth: AuthConfig;
  /** Where every access is written before data leaves. */
  readonly audit: AuditLog;
  readonly consent: ConsentStore;
  readonly grants: GrantStore;
  /**
   * Clinical sources asked for a patient whose record locator knows nothing (an uninsured person
   * the index never linked); default 10. The response says so in `extensions.recordLocator`.
   */
  readonly locatorFallbackSources?: number;
  /** Depth, alias, root-field, cost and size limits (defaults: DEFAULT_OPERATION_LIMITS). */
  readonly operationLimits?: Partial<OperationLimits>;
  /** Per-principal rate limits: the limiter (embedded or Redis) and each principal's allowance. */
  readonly rateLimits?: { readonly limiter: RateLimiter; readonly limitFor: (principal: Principal | null) => RateLimit | null };
  /** Persisted-operation mode: `enforce` runs only the operations of the safelist. */
  readonly safelist?: { readonly safelist: OperationSafelist; readonly mode: SafelistMode };
  /** Other origins whose browser apps may call the gateway (CORS); none by default. */
  readonly cors?: CorsOptions;
}

export interface RunningGateway {
  readonly url: string;
  readonly port: number;
  readonly supergraphSdl: string;
  stop(): Promise<void>;
}

/** Where the network data source pretends the clinical contract lives; never fetched. */
const CLINICAL_NETWORK_URL = 'http://clinical.network.invalid/graphql';
/** The access contract is served in process (AccessDataSource); never fetched either. */
const ACCESS_LOCAL_URL = 'http://access.gateway.invalid/graphql';
const GRAPHQL_PATH = '/graphql';

/**
 * Starts the federated gateway (docs/architecture.md §1): the supergraph composed in process from the three
 * contracts, the network data source for `clinical`, one plain data source each for identity and
 * insurance, and the HTTP edge with `/healthz`.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  // Apollo's gateway and server report usage to Apollo unless told not to: health data never leaves.
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const logger = options.logger.child({ component: 'gateway' });
  const supergraphSdl = composeSupergraph([
    { name: 'identity', url: options.identity.url },
    { name: 'clinical', url: CLINICAL_NETWORK_URL },
    { name: 'insurance', url: options.insurance.url },
    { name: 'access', url: ACCESS_LOCAL_URL },
  ]);
  const verifyToken = await createTokenVerifier(options.auth);
  const access = new AccessDataSource(createAccessSubgraph({ audit: options.audit, consent: options.consent, grants: options.grants }), logger);
  const network = new ClinicalNetworkDataSource({
    registry: options.clinicalSources,
    contract: loadMergeContract(),
    logger,
    consent: options.consent,
    grants: options.grants,
    locatorFallbackSources: options.locatorFallbackSources ?? 10,
    ...(options.circuitBreaker ? { circuitBreaker: options.circuitBreaker } : {}),
  });
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name }) => {
      switch (name) {
        case 'clinical':
          return network;
        case 'identity':
          return new SingleSourceDataSource(options.identity, logger, {
            schema: buildSubgraphSchema({ typeDefs: loadContract('identity').typeDefs }),
            entityTypeName: 'Patient',
            keyField: 'nationalId',
          });
        case 'insurance':
          return new CareGuardedDataSource(new SingleSourceDataSource(options.insurance, logger), new AccessRules(options.consent, options.grants));
        case 'access':
          return access;
        default:
          throw new Error(`the supergraph names an unknown contract: ${name}`);
      }
    },
  });
  const contracts = CONTRACT_NAMES.map((name) => loadContract(name).typeDefs);
  const identifierArguments = readIdentifierArguments(contracts);
  const server = new ApolloServer<GatewayContext>({
    gateway,
    introspection: options.introspection,
    includeStacktraceInErrorResponses: false,
    formatError: (formatted) => formatGatewayError(formatted, logger),
    plugins: [
      ...(options.safelist ? [safelistPlugin({ safelist: options.safelist.safelist, mode: options.safelist.mode, logger })] : []),
      operationLimitsPlugin(options.operationLimits ?? DEFAULT_OPERATION_LIMITS, patientGraphCostModel),
      rateLimitPlugin({
        limiter: options.rateLimits?.limiter ?? new InMemoryRateLimiter(),
        limitFor: options.rateLimits?.limitFor ?? rateLimitsByRole(),
        logger,
      }),
      identifierValidationPlugin(identifierArguments),
      fieldPolicyPlugin({ requirements: readFieldRequirements(contracts), rolePolicies: ROLE_POLICIES }),
      locatorExtensionsPlugin(),
      auditPlugin({ audit: options.audit, logger, identifierArguments }),
      ...(options.introspection ? [] : [ApolloServerPluginLandingPageDisabled()]),
    ],
  });
  await server.start();
  let ready = true;
  let url = '';
  const httpServer: Server = createServer(
    withExplorerAndCors(withFhirRoutes(createHttpHandler({
      server,
      logger,
      isReady: () => ready,
      maxBodyBytes: options.maxBodyBytes ?? 1_000_000,
      graphqlPath: GRAPHQL_PATH,
      authenticate: authenticateBearer(verifyToken),
      context: async (principal) => ({ principal, traceId: randomUUID(), touched: newTouchedByRequest() }),
    }), { graphqlUrl: () => url }), {
      apiSchemaSdl: () => apiSchemaOf(supergraphSdl),
      cors: options.cors ?? { allowedOrigins: [] },
      onError: (error) => logger.error('explorer.failed', { error: error instanceof Error ? error.message : String(error) }),
    }),
  );
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  url = `http://${options.host}:${port}${GRAPHQL_PATH}`;
  logger.info('gateway.started', { port, clinicalSources: options.clinicalSources.list().length });
  return {
    url,
    port,
    supergraphSdl,
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
