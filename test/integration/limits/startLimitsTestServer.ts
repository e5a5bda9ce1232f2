import { randomUUID } from 'node:crypto';
import { ApolloServer, type ApolloServerOptions, type ApolloServerPlugin } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ROLES, type Principal, type Role } from '../../../core/security/Principal';
import type { CostModel } from '../../../gateway/limits/CostModel';
import type { OperationLimits } from '../../../gateway/limits/OperationLimits';
import { patientGraphCostModel } from '../../../gateway/limits/patientGraphCostModel';
import { GATEWAY_SCALARS } from '../../../gateway/pipeline/gatewayScalars';
import { requestPipelinePlugin, type RequestPipelineOptions } from '../../../gateway/pipeline/requestPipelinePlugin';
import { formatGatewayError } from '../../../gateway/server/formatGatewayError';
import type { GatewayContext } from '../../../gateway/server/GatewayContext';
import { RequestEvents } from '../../../gateway/server/RequestEvents';
import { apiSchemaOf } from '../../../gateway/supergraph/apiSchemaOf';
import { composeSupergraph } from '../../../gateway/supergraph/composeSupergraph';
import { captureLogger } from '../../helpers/captureLogger';

/** The client schema of the gateway, served with trivial resolvers: the limits only look at operations. */
const API_SCHEMA_SDL = apiSchemaOf(composeSupergraph());

/** A synthetic person (never real data, docs/style.md §9). */
export const SYNTHETIC_NATIONAL_ID = '079099000001';

export interface LimitsTestServer {
  readonly url: string;
  /** Root resolvers run so far: proof that a refused operation executed nothing. */
  readonly executions: () => number;
  /** Every source text Apollo Server started to parse. */
  readonly parsedSources: readonly string[];
  readonly logLines: readonly string[];
  stop(): Promise<void>;
}

export interface ClientResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

/**
 * A real Apollo Server on 127.0.0.1:<free port> over the gateway's API schema, with the gateway's
 * error formatting and a principal taken from `x-test-sub` / `x-test-role` headers (what the auth
 * plugin will provide). The plugins under test are installed as the gateway would install them.
 */
export async function startLimitsTestServer(
  plugins: ApolloServerPlugin<GatewayContext>[],
  options: { persistedQueries?: false } = {},
): Promise<LimitsTestServer> {
  const logs = captureLogger();
  let executions = 0;
  const parsedSources: string[] = [];
  const patient = (nationalId: string): Record<string, unknown> => ({
    nationalId,
    name: { full: 'Nguyễn Thị Mẫu', family: 'Nguyễn', given: ['Thị', 'Mẫu'] },
    gender: 'FEMALE',
    facilityCodes: [],
    identifiers: [],
    encounters: [],
    conditions: [],
    observations: [],
    medications: [],
    procedures: [],
    allergies: [],
    insuranceCard: null,
    insuredVisits: [],
  });
  const spy: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart() {
      return {
        async parsingDidStart({ source }) {
          parsedSources.push(source);
        },
      };
    },
  };
  const config: ApolloServerOptions<GatewayContext> = {
    typeDefs: API_SCHEMA_SDL,
    resolvers: {
      Query: {
        patient: (_: unknown, args: { nationalId: string }) => {
          executions += 1;
          return patient(args.nationalId);
        },
        patients: (_: unknown, args: { first: number }) => {
          executions += 1;
          const nodes = Array.from({ length: Math.min(args.first, 3) }, (_x, i) => patient(`07909900000${i}`));
          return { edges: nodes.map((node) => ({ cursor: node.nationalId, node })), pageInfo: { hasNextPage: false, endCursor: null }, totalCount: nodes.length };
        },
        encounterCount: () => {
          executions += 1;
          return 3;
        },
        diagnosisCounts: () => {
          executions += 1;
          return [];
        },
        clinicalSources: () => {
          executions += 1;
          return [];
        },
      },
    },
    includeStacktraceInErrorResponses: false,
    formatError: (formatted) => formatGatewayError(formatted, logs.logger),
    plugins: [...plugins, spy],
    ...(options.persistedQueries === false ? { persistedQueries: false as const } : {}),
  };
  const server = new ApolloServer<GatewayContext>(config);
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => ({ principal: principalFrom(req.headers), traceId: randomUUID(), events: new RequestEvents() }),
  });
  return {
    url,
    executions: () => executions,
    parsedSources,
    logLines: logs.lines,
    stop: () => server.stop(),
  };
}

function principalFrom(headers: Record<string, string | string[] | undefined>): Principal | null {
  const sub = headers['x-test-sub'];
  const role = headers['x-test-role'];
  if (typeof sub !== 'string' || typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) return null;
  return { sub, role: role as Role, facilityCode: null, scopes: [], purposeOfUse: 'treatment', tokenId: null };
}

/**
 * The gateway's one request pipeline (gateway/pipeline/requestPipelinePlugin.ts) with only the
 * steps under test, as startGateway installs it (which adds the others).
 */
export function requestPipelineWith(
  steps: RequestPipelineOptions['steps'],
  options: { readonly limits?: Partial<OperationLimits>; readonly costModel?: CostModel; readonly safelist?: RequestPipelineOptions['safelist'] } = {},
): ApolloServerPlugin<GatewayContext> {
  return requestPipelinePlugin({
    facts: { identifierArguments: new Map(), costModel: options.costModel ?? patientGraphCostModel, scalars: GATEWAY_SCALARS },
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.safelist ? { safelist: options.safelist } : {}),
    steps,
  });
}

/** Sends a GraphQL request as any HTTP client would (POST JSON body, or GET with search parameters). */
export async function send(
  url: string,
  request: Record<string, unknown>,
  options: { method?: 'GET' | 'POST'; principal?: { sub: string; role: Role } } = {},
): Promise<ClientResponse> {
  const headers: Record<string, string> = options.principal ? { 'x-test-sub': options.principal.sub, 'x-test-role': options.principal.role } : {};
  let response: Response;
  if (options.method === 'GET') {
    const search = new URLSearchParams(
      Object.entries(request).map(([key, value]): [string, string] => [key, typeof value === 'string' ? value : JSON.stringify(value)]),
    );
    // Apollo Server's CSRF prevention wants a header a simple cross-site GET cannot carry.
    response = await fetch(`${url}?${search.toString()}`, { headers: { ...headers, 'apollo-require-preflight': 'true' } });
  } else {
    response = await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(request) });
  }
  return { status: response.status, headers: response.headers, body: (await response.json()) as ClientResponse['body'] };
}
