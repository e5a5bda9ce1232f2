import type { SupergraphSdlHook, SupergraphSdlUpdateFunction } from '@apollo/gateway';
import type { Logger } from '../../core/logging/logger';
import type { ContractEndpoint } from './composeSupergraph';
import { composeWithEveryContract, type ExtraSubgraph } from './composeNetworkSupergraph';
import type { RegisteredContract } from './RegisteredContract';
import { parse } from 'graphql';
import { registeredContractProblems } from '../network/registeredContractProblems';
import type { FieldRequirements } from '../policy/FieldRequirement';
import type { LiveFieldRequirements } from '../policy/LiveFieldRequirements';

export interface NetworkSupergraphOptions {
  /** The shipped contracts and where the gateway serves each. */
  readonly base: readonly ContractEndpoint[];
  /** The registered contracts now (active, secret readable), in registration order. */
  readonly contracts: () => readonly RegisteredContract[];
  /**
   * The field requirements of the access model, kept in step with the supergraph: those of the
   * contracts about to be served are in force before the schema changes, and while it changes
   * the requirements of both apply (a field never exists without its requirement).
   */
  readonly requirements?: { readonly live: LiveFieldRequirements; readonly read: (contracts: readonly RegisteredContract[]) => FieldRequirements };
  readonly logger: Logger;
}

/**
 * The supergraph a gateway replica serves: the shipped contracts plus every registered contract
 * (docs/registry.md §7). Apollo Gateway gets it through the `supergraphSdl` hook; `refresh()` (on
 * every registry change and reconcile) recomposes when the registered contracts changed and hands
 * the result to the hook's `update`, which swaps the schema and query planner in place. Requests
 * in flight finish on the old one. A contract that does not compose is left out and named in
 * `problems()`; the running supergraph is never replaced by a broken one.
 */
export class NetworkSupergraph {
  private update: SupergraphSdlUpdateFunction | null = null;
  private sdl: string;
  private key: string;
  private leftOut: ReadonlyMap<string, readonly string[]> = new Map();

  constructor(private readonly options: NetworkSupergraphOptions) {
    const contracts = options.contracts();
    this.key = keyOf(contracts);
    const composed = this.compose(contracts);
    this.sdl = composed.sdl;
    options.requirements?.live.replace(options.requirements.read(composed.included));
  }

  /** For `new ApolloGateway({ supergraphSdl })`: the supergraph composed with every registered contract. */
  readonly hook: SupergraphSdlHook = async ({ update }) => {
    this.update = update;
    return {
      supergraphSdl: this.sdl,
      cleanup: async () => {
        this.update = null;
      },
    };
  };

  current(): string {
    return this.sdl;
  }

  /** Registered contracts left out of the supergraph on this replica, with the composition errors. */
  problems(): ReadonlyMap<string, readonly string[]> {
    return this.leftOut;
  }

  /** Recomposes when the registered contracts changed since the last composition. */
  refresh(): void {
    const contracts = this.options.contracts();
    const key = keyOf(contracts);
    if (key === this.key) return;
    const next = this.compose(contracts);
    const requirements = this.options.requirements;
    const before = requirements ? new Map(requirements.live) : null;
    const after = requirements?.read(next.included) ?? null;
    if (requirements && before && after) requirements.live.replace(new Map([...before, ...after]));
    try {
      this.update?.(next.sdl);
      this.key = key;
      this.sdl = next.sdl;
      if (requirements && after) requirements.live.replace(after);
      this.options.logger.info('supergraph.recomposed', { contracts: next.included.map((c) => c.name) });
    } catch (error) {
      if (requirements && before) requirements.live.replace(before);
      this.options.logger.error('supergraph.update_failed', { message: error instanceof Error ? error.message : String(error) });
    }
  }

  private compose(contracts: readonly RegisteredContract[]): { readonly sdl: string; readonly included: readonly RegisteredContract[] } {
    // A stored contract the network data source cannot serve (stored before a rule existed) is left out too.
    const unservable = new Map(contracts.map((c) => [c.name, problemsOf(c.sdl)] as const).filter(([, problems]) => problems.length > 0));
    const extras: ExtraSubgraph[] = contracts.filter((c) => !unservable.has(c.name)).map((c) => ({ name: c.name, url: contractUrl(c), sdl: c.sdl }));
    const composed = composeWithEveryContract(this.options.base, extras);
    this.leftOut = new Map([...unservable, ...composed.leftOut]);
    for (const [name, errors] of this.leftOut) this.options.logger.error('supergraph.contract_left_out', { contract: name, errors: errors.join('\n') });
    const included = new Set(composed.included.map((e) => e.name));
    return { sdl: composed.supergraphSdl, included: contracts.filter((c) => included.has(c.name)) };
  }
}

/** What a supergraph depends on: each contract's name and SDL (its sources change routing, not the schema). */
function keyOf(contracts: readonly RegisteredContract[]): string {
  return JSON.stringify(contracts.map((c) => [c.name, c.sdl]));
}

function problemsOf(sdl: string): string[] {
  try {
    return registeredContractProblems(parse(sdl));
  } catch (error) {
    return [`the SDL does not parse: ${error instanceof Error ? error.message : String(error)}`];
  }
}

/**
 * The URL the supergraph names for a registered contract: never fetched (the gateway's data source
 * fans out to every source of the contract), so one placeholder per contract name.
 */
function contractUrl(contract: RegisteredContract): string {
  return `http://${contract.name}.registered-contract.invalid/graphql`;
}
