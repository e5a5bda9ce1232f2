import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GatewayContext } from '../server/GatewayContext';
import type { AccessRules } from './AccessRules';
import { accessStateRefusal } from '../state/accessStateUnavailable';
import { outsideCareErrors } from './accessErrors';
import { fetchEntitySubset } from './fetchEntitySubset';
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

    return fetchEntitySubset(this.inner, options, ruled, new Set(ruling.outsideCare), outsideCareErrors(ruling));
  }
}
