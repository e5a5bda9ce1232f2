import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GraphQLFormattedError } from 'graphql';
import type { GatewayContext } from '../server/GatewayContext';
import type { AccessRules } from './AccessRules';
import { accessStateRefusal } from '../state/accessStateUnavailable';
import { outsideCareErrors } from './accessErrors';
import type { PatientRepresentation } from './routeRepresentations';

/**
 * Applies the access rules to entity fetches of a single-source contract (insurance: the national
 * visit history holds diagnoses). Patients outside a clinician's care without a break-the-glass
 * grant are not sent; their entity comes back `null` (the insurance fields are nullable, so the
 * patient stays) with a FORBIDDEN error. The others are sent with their consent attached, so the
 * source drops visits at withheld facilities.
 */
export class CareGuardedDataSource implements GraphQLDataSource {
  constructor(
    private readonly inner: GraphQLDataSource,
    private readonly access: AccessRules,
  ) {}

  async process(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    const context: Partial<GatewayContext> = options.context;
    const variable: unknown = options.request.variables?.representations;
    if (!context.principal || !Array.isArray(variable)) return this.inner.process(options);
    const representations = variable as PatientRepresentation[];
    let ruling: Awaited<ReturnType<AccessRules['rule']>>;
    try {
      ruling = await this.access.rule(representations, context.principal);
    } catch (error) {
      // Consent or grants unreadable: the source is not asked (the pipeline answers 503).
      const refusal = accessStateRefusal(error);
      if (refusal) return { errors: [refusal] };
      throw error;
    }
    const ruled = ruling.representations;
    if (ruling.outsideCare.length === 0) {
      return this.inner.process({ ...options, request: { ...options.request, variables: { ...options.request.variables, representations: ruled } } });
    }

    const denied = new Set(ruling.outsideCare);
    const kept = representations.map((_r, index) => index).filter((index) => !denied.has(index));
    const errors: GraphQLFormattedError[] = outsideCareErrors(ruling);
    if (kept.length === 0) return { data: { _entities: representations.map(() => null) }, errors };

    const answer = await this.inner.process({
      ...options,
      request: { ...options.request, variables: { ...options.request.variables, representations: kept.map((index) => ruled[index]) } },
    });
    const received = (answer.data as { _entities?: unknown[] } | null | undefined)?._entities;
    const entities: unknown[] = representations.map(() => null);
    kept.forEach((original, sent) => {
      entities[original] = received?.[sent] ?? null;
    });
    const remapped = (answer.errors ?? []).map((error) => {
      const path = error.path;
      if (path?.[0] !== '_entities' || typeof path[1] !== 'number') return error;
      return { ...error, path: ['_entities', kept[path[1]] ?? path[1], ...path.slice(2)] };
    });
    return { data: { _entities: entities }, errors: [...errors, ...remapped] };
  }
}
