import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import type { Logger } from '../../core/logging/logger';
import type { RegisteredContract } from '../supergraph/RegisteredContract';
import { SingleSourceDataSource } from './SingleSourceDataSource';
import type { SourceClients } from './SourceClients';

/**
 * Data source of a contract a source brought (docs/registry.md §7): the registry is read on every
 * fetch, so a changed secret, deadline or limit applies at once, and a source removed between a
 * plan and its fetch answers SOURCE_NOT_REGISTERED instead of being called. Each fetch goes through
 * the same signed source client as every other source, and every patient in the answer is recorded
 * for the audit.
 */
export class RegisteredContractDataSource implements GraphQLDataSource {
  private cached: { readonly key: string; readonly dataSource: SingleSourceDataSource } | null = null;

  constructor(
    private readonly name: string,
    private readonly contracts: () => readonly RegisteredContract[],
    private readonly logger: Logger,
    private readonly clients: SourceClients,
  ) {}

  async process(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    const contract = this.contracts().find((c) => c.name === this.name);
    if (!contract) {
      return { errors: [{ message: `No registered source serves the ${this.name} contract now.`, extensions: { code: 'SOURCE_NOT_REGISTERED', source: this.name } }] };
    }
    return this.dataSourceFor(contract).process(options);
  }

  private dataSourceFor(contract: RegisteredContract): SingleSourceDataSource {
    // The registry builds new objects on every reload; only a changed source or SDL needs a new one.
    const key = JSON.stringify([contract.sdl, contract.source]);
    if (this.cached?.key === key) return this.cached.dataSource;
    const schema = buildSubgraphSchema({ typeDefs: parse(contract.sdl) });
    const tracking = schema.getType('Patient') ? { schema, entityTypeName: 'Patient', keyField: 'nationalId' } : undefined;
    const dataSource = new SingleSourceDataSource(contract.source, this.logger, tracking, this.clients);
    this.cached = { key, dataSource };
    return dataSource;
  }
}
