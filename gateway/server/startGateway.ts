import type { DisclosurePolicy } from '../analytics/DisclosurePolicy';
import type { CohortProject } from '../analytics/CohortProject';
import { CohortCursorCodec } from '../analytics/CohortCursorCodec';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { SourceTlsSettings } from '../../core/http/ClientTls';
import type { Logger } from '../../core/logging/logger';
import { loadContract } from '../../contracts/loadContract';
import { NetworkDataSource } from '../network/NetworkDataSource';
import { loadMergeContract } from '../network/loadMergeContract';
import { SingleSourceDataSource } from '../network/SingleSourceDataSource';
import { RootFetchPlans } from '../network/RootFetchPlans';
import { SourceClients } from '../network/SourceClients';
import { gatewayObservability, type MetricsOptions } from '../observability/gatewayObservability';
import { startTracing, type TracingOptions } from '../observability/startTracing';
import { AccessRules } from '../network/AccessRules';
import { CareGuardedDataSource } from '../network/CareGuardedDataSource';
import { readIdentifierArguments } from '../pipeline/identifierArguments';
import type { RegisteredSource, SourceRegistry } from '../sources/RegisteredSource';
import { NetworkSupergraph } from '../supergraph/NetworkSupergraph';
import type { RegisteredContract } from '../supergraph/RegisteredContract';
import { RegisteredContractDataSource } from '../network/RegisteredContractDataSource';
import { LiveFieldRequirements } from '../policy/LiveFieldRequirements';
import { readNetworkFieldRequirements } from '../policy/readNetworkFieldRequirements';
import { parse } from 'graphql';
import { createHttpHandler } from '../../subgraphs/http/createHttpHandler';
import { formatGatewayError } from './formatGatewayError';
import { traceInternalErrors } from './traceInternalErrors';
import { AccessDataSource } from '../access/AccessDataSource';
import { createAccessSubgraph } from '../access/createAccessSubgraph';
import type { AuditLog } from '../audit/AuditLog';
import type { AuthConfig } from '../auth/AuthConfig';
import { createTokenVerifier } from '../auth/createTokenVerifier';
import type { Principal } from '../../core/security/Principal';
import { InMemoryRateLimiter } from '../limits/InMemoryRateLimiter';
import { DEFAULT_OPERATION_LIMITS, type OperationLimits } from '../limits/OperationLimits';
import type { OperationSafelist } from '../limits/OperationSafelist';
import { patientGraphCostModel } from '../limits/patientGraphCostModel';
import type { RateLimit, RateLimiter } from '../limits/RateLimiter';
import { rateLimitsByRole } from '../limits/rateLimitsByRole';
import type { SafelistMode } from '../limits/admitToSafelist';
import { fieldPolicyStep } from '../policy/fieldPolicyStep';
import { documentLimitsStep } from '../pipeline/documentLimitsStep';
import { assertEveryScalarValidated, GATEWAY_SCALARS } from '../pipeline/gatewayScalars';
import { identifierStep } from '../pipeline/identifierStep';
import { rateLimitStep } from '../pipeline/rateLimitStep';
import { RateLimitRefusals } from '../pipeline/RateLimitRefusals';
import { requestPipelinePlugin } from '../pipeline/requestPipelinePlugin';
import { scalarStep } from '../pipeline/scalarStep';
import { variablesStep } from '../pipeline/variablesStep';
import { auditAvailableStep } from '../pipeline/auditAvailableStep';
import { breakTheGlassReasonStep } from '../pipeline/breakTheGlassReasonStep';
import { reservedAliasStep } from '../pipeline/reservedAliasStep';
import { readFieldRequirements } from '../policy/readFieldRequirements';
import { IdentityRecordLocatorLookup } from '../policy/IdentityRecordLocatorLookup';
import { ROLE_POLICIES } from '../policy/rolePolicies';
import type { ConsentStore } from '../state/ConsentStore';
import type { GrantStore } from '../state/GrantStore';
import { CONTRACT_NAMES } from '../../contracts/loadContract';
import { authenticateBearer } from './authenticateBearer';
import { createAdminSubgraph } from '../registry/createAdminSubgraph';
import type { LiveSourceRegistry } from '../registry/LiveSourceRegistry';
import type { SourceRegistrar } from '../registry/SourceRegistrar';
import type { SourceHealthTracker } from '../registry/SourceHealthTracker';
import { withReadiness, type ReadinessCheck } from './withReadiness';
import { IdentityLearningNotifier } from '../network/IdentityLearningNotifier';
import type { GatewayContext } from './GatewayContext';
import { RequestEvents } from './RequestEvents';
import type { CorsOptions } from '../explorer/CorsPolicy';
import { withExplorerAndCors } from '../explorer/withExplorerAndCors';
import { withFhirRoutes } from '../fhir/withFhirRoutes';
import { GATEWAY_OWN_OPERATIONS } from './gatewayOwnOperations';
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
  /** CA and client certificate for https:// sources (mutual TLS, docs/security.md); gateway-wide and per source code. */
  readonly sourceTls?: SourceTlsSettings;
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
  /** Small-cell suppression and rounding of aggregates; the safe default when omitted. */
  readonly disclosure?: DisclosurePolicy;
  /** Analytics projects of de-identified cohort rows (docs/analytics.md); none when omitted. */
  readonly cohortProjects?: readonly CohortProject[];
  /**
   * `analytics.cursorKey`: the secret the cohort cursors' sealing key is derived from (HKDF), the
   * same at every replica so a cursor continues at any; absent: a random key per process.
   */
  readonly cohortCursorKey?: string;
  /** Depth, alias, root-field, cost and size limits (defaults: DEFAULT_OPERATION_LIMITS). */
  readonly operationLimits?: Partial<OperationLimits>;
  /** Per-principal rate limits: the limiter (embedded or Redis) and each principal's allowance. */
  readonly rateLimits?: { readonly limiter: RateLimiter; readonly limitFor: (principal: Principal | null) => RateLimit | null };
  /** Persisted-operation mode: `enforce` runs only the operations of the safelist and the gateway's own (gatewayOwnOperations.ts). */
  readonly safelist?: { readonly safelist: OperationSafelist; readonly mode: SafelistMode };
  /** Requests refused by the rate limiter are audited as one record per principal per window of this length (default 60 s). */
  readonly rateLimitRefusalWindowMs?: number;
  /**
   * The runtime source registry (docs/architecture.md §5) behind the `admin` contract; pass the same
   * LiveSourceRegistry as `clinicalSources`. Without it the gateway runs a fixed source list.
   */
  readonly sourceRegistry?: { readonly live: LiveSourceRegistry; readonly registrar: SourceRegistrar; readonly health?: SourceHealthTracker };
  /** State stores `GET /readyz` asks besides the supergraph and the registry (Redis, audit…). */
  readonly readinessChecks?: readonly ReadinessCheck[];
  /** Prometheus `GET /metrics`, behind its own bearer token; absent: no metrics, no endpoint. */
  readonly metrics?: MetricsOptions | null;
  /** OpenTelemetry spans exported over OTLP/HTTP, `traceparent` sent to sources; absent: off. */
  readonly tracing?: TracingOptions | null;
  /** Fetches to one source that may wait for a concurrency slot before further ones are refused (`limits.sourceQueue`; default 256). */
  readonly sourceQueue?: number;
  /** Other origins whose browser apps may call the gateway (CORS); none by default. */
  readonly cors?: CorsOptions;
  /**
   * Tell the identity subgraph which sources answered for whom through demographics, so the
   * patient index links those records (docs/identity.md §2); default true. An index that does not
   * learn answers PATIENT_INDEX_READ_ONLY once and the gateway stops telling it.
   */
  readonly learnFromAnswers?: boolean;
}

export interface RunningGateway {
  readonly url: string;
  readonly port: number;
  /** The supergraph served now (registered contracts change it). */
  readonly supergraphSdl: string;
  stop(): Promise<void>;
}

/** Where the network data source pretends the clinical contract lives; never fetched. */
const CLINICAL_NETWORK_URL = 'http://clinical.network.invalid/graphql';
/** The access contract is served in process (AccessDataSource); never fetched either. */
const ACCESS_LOCAL_URL = 'http://access.gateway.invalid/graphql';
/** The admin contract (source registry) is served in process too. */
const ADMIN_LOCAL_URL = 'http://admin.gateway.invalid/graphql';
const GRAPHQL_PATH = '/graphql';

/**
 * Starts the federated gateway (docs/architecture.md §1): the supergraph composed in process from the three
 * contracts, the network data source for `clinical`, one plain data source each for identity and
 * insurance, and the HTTP edge with `/healthz`.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  // Apollo's gateway and server report usage to Apollo unless told not to: health data never leaves.
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  if (options.safelist?.mode === 'enforce' && options.safelist.safelist.size === 0) {
    throw new Error('startGateway: safelist mode "enforce" with an empty manifest would refuse every client operation; register operations or use mode "off"');
  }
  const logger = options.logger.child({ component: 'gateway' });
  const contracts = CONTRACT_NAMES.map((name) => loadContract(name).typeDefs);
  // The shipped contracts plus every registered one; recomposed in place when the registry changes.
  const registeredContracts = (): readonly RegisteredContract[] => options.sourceRegistry?.live.registeredContracts() ?? [];
  const requirements = new LiveFieldRequirements(readFieldRequirements(contracts));
  const supergraph = new NetworkSupergraph({
    base: [
      { name: 'identity', url: options.identity.url },
      { name: 'clinical', url: CLINICAL_NETWORK_URL },
      { name: 'insurance', url: options.insurance.url },
      { name: 'access', url: ACCESS_LOCAL_URL },
      { name: 'admin', url: ADMIN_LOCAL_URL },
    ],
    contracts: registeredContracts,
    requirements: { live: requirements, read: (included) => readNetworkFieldRequirements(contracts, included.map((c) => parse(c.sdl))) },
    logger,
  });
  const verifyToken = await createTokenVerifier(options.auth);
  const access = new AccessDataSource(createAccessSubgraph({ audit: options.audit, consent: options.consent, grants: options.grants }), logger);
  // One client per source (keep-alive pool, deadline, breaker), shared by every data source.
  const sourceClients = new SourceClients({
    ...(options.circuitBreaker ? { circuitBreaker: options.circuitBreaker } : {}),
    ...(options.sourceTls ? { tls: options.sourceTls } : {}),
    ...(options.sourceQueue !== undefined ? { queue: options.sourceQueue } : {}),
  });
  const observability = gatewayObservability(options.metrics, sourceClients, options.sourceRegistry?.health);
  const tracing = options.tracing ? await startTracing(options.tracing) : null;
  const learning = options.learnFromAnswers === false ? null : new IdentityLearningNotifier(options.identity, sourceClients, logger);
  const network = new NetworkDataSource({
    ...(learning ? { onDemographicAnswers: learning.observe.bind(learning) } : {}),
    clients: sourceClients,
    registry: options.clinicalSources,
    contract: loadMergeContract(),
    logger,
    consent: options.consent,
    grants: options.grants,
    locatorFallbackSources: options.locatorFallbackSources ?? 10,
    ...(options.disclosure ? { disclosure: options.disclosure } : {}),
    cohort: {
      ...(options.cohortProjects ? { projects: options.cohortProjects } : {}),
      ...(options.cohortCursorKey !== undefined ? { cursors: CohortCursorCodec.fromSecret(options.cohortCursorKey) } : {}),
    },
    ...(options.sourceRegistry?.health ? { onSourceCall: options.sourceRegistry.health.record.bind(options.sourceRegistry.health) } : {}),
    ...(options.circuitBreaker ? { circuitBreaker: options.circuitBreaker } : {}),
  });
  const identity = new SingleSourceDataSource(options.identity, logger, {
    schema: buildSubgraphSchema({ typeDefs: loadContract('identity').typeDefs }),
    entityTypeName: 'Patient',
    keyField: 'nationalId',
  }, sourceClients);
  // The care check sends the plan's first fetch of the patient index ahead and the plan reads its
  // answer: one call to the index per request (IdentityRecordLocatorLookup.ts).
  const identityPlans = new RootFetchPlans('identity');
  const gateway = new ApolloGateway({
    supergraphSdl: supergraph.hook,
    experimental_didResolveQueryPlan: identityPlans.record,
    buildService: ({ name }) => {
      switch (name) {
        case 'clinical':
          return network;
        case 'identity':
          return identity;
        case 'insurance':
          return new CareGuardedDataSource(new SingleSourceDataSource(options.insurance, logger, undefined, sourceClients), new AccessRules(options.consent, options.grants, ['insurance', 'clinical']));
        case 'access':
          return access;
        case 'admin':
          return new AccessDataSource(createAdminSubgraph({ registry: options.sourceRegistry ?? null, clients: sourceClients, contractProblems: () => supergraph.problems() }), logger);
        default:
          return new RegisteredContractDataSource({
            name,
            contracts: registeredContracts,
            logger,
            clients: sourceClients,
            consent: options.consent,
            grants: options.grants,
            locator: new IdentityRecordLocatorLookup(options.identity, sourceClients),
            ...(options.sourceRegistry?.health ? { onSourceCall: options.sourceRegistry.health.record.bind(options.sourceRegistry.health) } : {}),
          });
      }
    },
  });
  const identifierArguments = readIdentifierArguments(contracts);
  // Every custom scalar of the client schema is parsed at the gateway, or the gateway does not start.
  assertEveryScalarValidated(contracts, GATEWAY_SCALARS);
  const limits = options.operationLimits ?? DEFAULT_OPERATION_LIMITS;
  const rateLimitRefusals = new RateLimitRefusals({ audit: options.audit, logger, ...(options.rateLimitRefusalWindowMs ? { windowMs: options.rateLimitRefusalWindowMs } : {}) });
  const server = new ApolloServer<GatewayContext>({
    gateway,
    introspection: options.introspection,
    includeStacktraceInErrorResponses: false,
    formatError: (formatted) => formatGatewayError(formatted, logger),
    plugins: [
      // The one ordered request pipeline (docs/architecture.md §9); its order is written there.
      requestPipelinePlugin({
        facts: { identifierArguments, costModel: patientGraphCostModel, scalars: GATEWAY_SCALARS },
        ...(options.safelist ? { safelist: { safelist: options.safelist.safelist.including(GATEWAY_OWN_OPERATIONS), mode: options.safelist.mode, logger } } : {}),
        limits,
        steps: {
          rateLimit: rateLimitStep({
            limiter: options.rateLimits?.limiter ?? new InMemoryRateLimiter(),
            limitFor: options.rateLimits?.limitFor ?? rateLimitsByRole(),
            logger,
          }),
          documentLimits: documentLimitsStep(limits, patientGraphCostModel),
          reservedAliases: reservedAliasStep(),
          variables: variablesStep(),
          identifiers: identifierStep(),
          scalars: scalarStep(GATEWAY_SCALARS),
          arguments: breakTheGlassReasonStep(),
          fieldPolicy: fieldPolicyStep({
            requirements,
            rolePolicies: ROLE_POLICIES,
            care: { locator: new IdentityRecordLocatorLookup(options.identity, sourceClients, { plans: identityPlans, dataSource: identity }), grants: options.grants },
          }),
          auditAvailable: auditAvailableStep(options.audit, logger),
        },
        audit: { log: observability.audit(options.audit), logger, rateLimitRefusals },
      }),
      traceInternalErrors(logger),
      ...(options.introspection ? [] : [ApolloServerPluginLandingPageDisabled()]),
    ],
  });
  await server.start();
  options.sourceRegistry?.live.onReload(() => supergraph.refresh());
  let ready = true;
  let url = '';
  const httpServer: Server = createServer(observability.listener(
    withReadiness([
      { name: 'supergraph', check: async () => ready },
      ...(options.sourceRegistry ? [{ name: 'registry', check: async () => options.sourceRegistry?.live.isLoaded() === true }] : []),
      ...(options.readinessChecks ?? []),
    ], withExplorerAndCors(withFhirRoutes(createHttpHandler({
      server,
      logger,
      isReady: () => ready,
      maxBodyBytes: options.maxBodyBytes ?? 1_000_000,
      graphqlPath: GRAPHQL_PATH,
      authenticate: authenticateBearer(verifyToken),
      context: async (principal) => ({ principal, traceId: randomUUID(), events: new RequestEvents() }),
    }), { graphqlUrl: () => url }), {
      apiSchemaSdl: () => apiSchemaOf(supergraph.current()),
      cors: options.cors ?? { allowedOrigins: [] },
      onError: (error) => logger.error('explorer.failed', { error: error instanceof Error ? error.message : String(error) }),
    })),
    GRAPHQL_PATH,
  ));
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
    get supergraphSdl() {
      return supergraph.current();
    },
    stop: async () => {
      ready = false;
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      });
      await server.stop();
      await learning?.idle();
      await rateLimitRefusals.close();
      await sourceClients.close();
      await tracing?.shutdown();
    },
  };
}
