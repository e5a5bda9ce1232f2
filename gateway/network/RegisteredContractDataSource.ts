import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../../core/logging/logger';
import type { RegisteredContract } from '../supergraph/RegisteredContract';
import type { GatewayContext } from '../server/GatewayContext';
import type { ConsentStore } from '../state/ConsentStore';
import { fetchEntitySubset } from './fetchEntitySubset';
import { SingleSourceDataSource } from './SingleSourceDataSource';
import type { SourceClients } from './SourceClients';

/**
 * Data source of a contract a source brought (docs/registry.md §7): the registry is read on every
 * fetch, so a changed secret, deadline or limit applies at once, and a source removed between a
 * plan and its fetch answers SOURCE_NOT_REGISTERED instead of being called. Each fetch goes through
 * the same signed source client as every other source, and every patient in the answer is recorded
 * for the audit. A patient whose consent withholds the source's facility is not sent: their entity
 * is `null` with a CONSENT_DENIED error (unless they are reading their own record).
 */
/** Answers that count against a source's health (its own failures, not the caller's). */
const SOURCE_FAILURES: ReadonlySet<string> = new Set(['SOURCE_UNAVAILABLE', 'SOURCE_TIMEOUT', 'SOURCE_INVALID_RESPONSE']);

export class RegisteredContractDataSource implements GraphQLDataSource {
  private cached: { readonly key: string; readonly dataSource: SingleSourceDataSource } | null = null;

  constructor(
    private readonly name: string,
    private readonly contracts: () => readonly RegisteredContract[],
    private readonly logger: Logger,
    private readonly clients: SourceClients,
    private readonly consent: ConsentStore,
    /** Told of every fetch to the source (its health in `sources`, docs/registry.md §3). */
    private readonly onSourceCall?: (code: string, call: { readonly ok: boolean; readonly durationMs: number; readonly errorCode?: string }) => void,
  ) {}

  async process(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    const contract = this.contracts().find((c) => c.name === this.name);
    if (!contract) {
      return { errors: [{ message: `No registered source serves the ${this.name} contract now.`, extensions: { code: 'SOURCE_NOT_REGISTERED', source: this.name } }] };
    }
    const started = performance.now();
    const answer = await this.fetch(contract, options);
    const failure = answer.errors?.map((e) => e.extensions?.code).find((code): code is string => typeof code === 'string' && SOURCE_FAILURES.has(code));
    const durationMs = performance.now() - started;
    this.onSourceCall?.(contract.source.code, failure ? { ok: false, durationMs, errorCode: failure } : { ok: true, durationMs });
    return answer;
  }

  private async fetch(contract: RegisteredContract, options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    const inner = this.dataSourceFor(contract);
    const representations: unknown = options.request.variables?.representations;
    if (!Array.isArray(representations)) return inner.process(options);
    const facilityCode = contract.source.code;
    const { principal = null }: Partial<GatewayContext> = options.context;
    const ids = representations.map((r: unknown) => (r !== null && typeof r === 'object' ? (r as { nationalId?: unknown }).nationalId : undefined));
    const consent = await this.consent.getMany([...new Set(ids.filter((id): id is string => typeof id === 'string'))]);
    const withheld = new Set<number>();
    ids.forEach((id, index) => {
      const ownRecord = principal?.role === 'patient' && principal.sub === id;
      if (typeof id === 'string' && !ownRecord && consent.get(id)?.optedOutFacilityCodes.includes(facilityCode)) withheld.add(index);
    });
    if (withheld.size === 0) return inner.process(options);
    const errors = [...withheld].map((index) => ({
      message: `The patient has withheld the records of facility ${facilityCode}; they were not fetched.`,
      path: ['_entities', index],
      extensions: { code: 'CONSENT_DENIED', facilityCode },
    }));
    return fetchEntitySubset(inner, options, representations, withheld, errors);
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
