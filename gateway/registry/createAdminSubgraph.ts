import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { GraphQLSchema } from 'graphql';
import { PatientGraphError } from '../../core/errors/PatientGraphError';
import type { Principal } from '../../core/security/Principal';
import { loadContract } from '../../contracts/loadContract';
import type { GatewayContext } from '../server/GatewayContext';
import type { ListedSource, LiveSourceRegistry } from './LiveSourceRegistry';
import type { RegisterSourceRequest, SourceRegistrar, UpdateSourceRequest } from './SourceRegistrar';
import type { SourceHealthTracker } from './SourceHealthTracker';
import type { SourceCircuitState } from '../../core/http/SourceClient';
import type { SourceClientState } from './SourceClientState';

export interface AdminSubgraphOptions {
  /** The live registry and who changes it; absent when the gateway runs a fixed source list. */
  readonly registry: { readonly live: LiveSourceRegistry; readonly registrar: SourceRegistrar; readonly health?: SourceHealthTracker } | null;
  /** Circuit state and load of each source on this replica, shown with its health. */
  readonly clients?: SourceClientState;
  /** Registered contracts this replica left out of its supergraph, with why (docs/registry.md §7). */
  readonly contractProblems?: () => ReadonlyMap<string, readonly string[]>;
}

type StatusName = 'ACTIVE' | 'DISABLED';

/**
 * The `admin` contract (the source registry), served in process by the gateway. Field policies
 * (`registry-read`, `registry-manage`) were enforced before planning; the roles are checked here
 * again as defence in depth. The operation itself is audited like any other (who, which fields).
 */
export function createAdminSubgraph(options: AdminSubgraphOptions): GraphQLSchema {
  const registry = (): NonNullable<AdminSubgraphOptions['registry']> => {
    if (!options.registry) throw new PatientGraphError('BAD_USER_INPUT', 'This gateway runs a fixed source list (no registry configured); sources change in its config file.');
    return options.registry;
  };
  const healthOf = (code: string): Record<string, unknown> | null => {
    const tracked = options.registry?.health?.healthOf(code);
    if (!tracked) return null;
    const load = options.clients?.loadOf(code) ?? { inFlight: 0, queued: 0 };
    return { ...tracked, circuit: CIRCUIT_NAMES[options.clients?.circuitStateOf(code) ?? 'closed'], inFlight: load.inFlight, queued: load.queued };
  };
  const withContractProblem = (listing: ListedSource): ListedSource => {
    const errors = listing.record.contractSdl === undefined ? undefined : options.contractProblems?.().get(listing.record.contract);
    return errors && listing.problem === null ? { ...listing, problem: `the ${listing.record.contract} contract does not compose on this replica: ${errors.join('; ')}` } : listing;
  };
  const resolvers: GraphQLResolverMap<GatewayContext> = {
    Query: {
      sources: (_root, _args, context: GatewayContext) => {
        requireRole(context.principal, ['admin', 'registrar']);
        return options.registry ? options.registry.live.listed().map((s) => toView(withContractProblem(s), options.registry?.live, healthOf)) : [];
      },
    },
    Mutation: {
      registerSource: async (_root, args: { input: RegisterSourceRequest }, context: GatewayContext) => {
        const admin = requireRole(context.principal, ['admin']);
        const { live, registrar } = registry();
        return toView(await registrar.register(args.input, admin.sub), live, healthOf);
      },
      updateSource: async (_root, args: { code: string; input: Omit<UpdateSourceRequest, 'status'> & { status?: StatusName | null } }, context: GatewayContext) => {
        const admin = requireRole(context.principal, ['admin']);
        const { live, registrar } = registry();
        const { status, ...rest } = args.input;
        return toView(await registrar.update(args.code, { ...rest, ...(status ? { status: status === 'ACTIVE' ? 'active' : 'disabled' } : {}) }, admin.sub), live, healthOf);
      },
      disableSource: async (_root, args: { code: string }, context: GatewayContext) => {
        const admin = requireRole(context.principal, ['admin']);
        const { live, registrar } = registry();
        return toView(await registrar.disable(args.code, admin.sub), live, healthOf);
      },
      removeSource: async (_root, args: { code: string }, context: GatewayContext) => {
        const admin = requireRole(context.principal, ['admin']);
        const { live, registrar } = registry();
        return toView(await registrar.remove(args.code, admin.sub), live, healthOf);
      },
    },
  };
  return buildSubgraphSchema({ typeDefs: loadContract('admin').typeDefs, resolvers: resolvers as GraphQLResolverMap<unknown> });
}

function requireRole(principal: Principal | null, roles: readonly Principal['role'][]): Principal {
  if (!principal || !roles.includes(principal.role)) throw new PatientGraphError('FORBIDDEN', `The source registry is for ${roles.join(' and ')} roles only.`);
  return principal;
}

const CIRCUIT_NAMES: Record<SourceCircuitState, string> = { closed: 'CLOSED', 'half-open': 'HALF_OPEN', open: 'OPEN' };

function toView(listing: ListedSource, live: LiveSourceRegistry | undefined, healthOf: (code: string) => Record<string, unknown> | null): Record<string, unknown> {
  const { record } = listing;
  return {
    code: record.code,
    name: record.name,
    contract: record.contract,
    url: record.url,
    signingSecretRef: record.signingSecretRef,
    deadlineMs: record.limits.deadlineMs,
    concurrency: record.limits.concurrency,
    status: record.status === 'active' ? 'ACTIVE' : 'DISABLED',
    origin: listing.origin === 'config' ? 'CONFIG' : 'REGISTRY',
    registeredBy: record.registeredBy,
    registeredAt: record.registeredAt,
    routed: live?.get(record.code) !== undefined,
    problem: listing.problem,
    health: healthOf(record.code),
  };
}
