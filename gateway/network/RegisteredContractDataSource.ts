import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { parse, visit, type DocumentNode } from 'graphql';
import type { Logger } from '../../core/logging/logger';
import { FIELD_GROUPS, type FieldGroup } from '../access-model/accessModel';
import type { RecordLocatorLookup } from '../policy/RecordLocatorLookup';
import type { RegisteredSource, SourceRegistry } from '../sources/RegisteredSource';
import type { ConsentStore } from '../state/ConsentStore';
import type { GrantStore } from '../state/GrantStore';
import type { RegisteredContract } from '../supergraph/RegisteredContract';
import { mergeContractOf } from './loadMergeContract';
import { NetworkDataSource } from './NetworkDataSource';
import type { SourceClients } from './SourceClients';

export interface RegisteredContractDataSourceOptions {
  /** The contract's name: the subgraph's name in the supergraph. */
  readonly name: string;
  /** The registered contracts now (the registry's snapshot). */
  readonly contracts: () => readonly RegisteredContract[];
  readonly logger: Logger;
  readonly clients: SourceClients;
  readonly consent: ConsentStore;
  readonly grants: GrantStore;
  /** The record locator, for the care relationship of clinicians. */
  readonly locator: RecordLocatorLookup;
  /** Told of every fetch to a source (its health in `sources`, docs/registry.md §3). */
  readonly onSourceCall?: (code: string, call: { readonly ok: boolean; readonly durationMs: number; readonly errorCode?: string }) => void;
}

/**
 * Data source of a contract sources brought (docs/registry.md §7): the network data source over
 * the contract's sources, exactly as for the clinical contract — entity fetches fan out to every
 * source of the contract (a patient's consent withholding some of them), root fields and lists are
 * merged by the contract's `@merge` rules in registration order, each source fails soft. The
 * registry is read on every fetch, so a source registered, changed or removed applies at once; a
 * contract whose last source left answers SOURCE_NOT_REGISTERED instead of being called.
 */
export class RegisteredContractDataSource implements GraphQLDataSource {
  private cached: { readonly key: string; readonly dataSource: NetworkDataSource } | null = null;

  constructor(private readonly options: RegisteredContractDataSourceOptions) {}

  async process(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    const contract = this.options.contracts().find((c) => c.name === this.options.name);
    if (!contract || contract.sources.length === 0) {
      return { errors: [{ message: `No registered source serves the ${this.options.name} contract now.`, extensions: { code: 'SOURCE_NOT_REGISTERED', source: this.options.name } }] };
    }
    return this.dataSourceFor(contract).process(options);
  }

  private dataSourceFor(contract: RegisteredContract): NetworkDataSource {
    // The registry builds new objects on every reload; only a changed source or SDL needs a new one.
    const key = JSON.stringify([contract.sdl, contract.sources]);
    if (this.cached?.key === key) return this.cached.dataSource;
    const typeDefs = parse(contract.sdl);
    const dataSource = new NetworkDataSource({
      registry: sourceRegistryOf(contract.sources),
      // The supergraph leaves out a contract whose rules cannot be read (registeredContractProblems.ts).
      contract: mergeContractOf(typeDefs),
      routing: { kind: 'every-source', locator: this.options.locator },
      groups: fieldGroupsOf(typeDefs),
      logger: this.options.logger,
      clients: this.options.clients,
      consent: this.options.consent,
      grants: this.options.grants,
      ...(this.options.onSourceCall ? { onSourceCall: this.options.onSourceCall } : {}),
    });
    this.cached = { key, dataSource };
    return dataSource;
  }
}

/** The contract's sources as the network data source routes them: in registration order. */
function sourceRegistryOf(sources: readonly RegisteredSource[]): SourceRegistry {
  const byCode = new Map(sources.map((s) => [s.code, s]));
  const order = new Map(sources.map((s, index) => [s.code, index]));
  return { get: (code) => byCode.get(code), list: () => sources, orderOf: (code) => order.get(code) ?? Number.MAX_SAFE_INTEGER };
}

/**
 * The access model's field groups the contract's `@policy` names (its row rules: the strictest
 * applies); `clinical` when it names none the model knows (its fields are then denied anyway).
 */
function fieldGroupsOf(typeDefs: DocumentNode): FieldGroup[] {
  const known = new Set<string>(FIELD_GROUPS);
  const groups = new Set<FieldGroup>();
  visit(typeDefs, {
    Directive(node) {
      if (node.name.value !== 'policy') return;
      visit(node, {
        StringValue(value) {
          if (known.has(value.value)) groups.add(value.value as FieldGroup);
        },
      });
    },
  });
  return groups.size > 0 ? [...groups] : ['clinical'];
}

