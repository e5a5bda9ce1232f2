import type { GraphQLSchema } from 'graphql';
import type { Principal } from '../../core/security/Principal';
import type { GatewayContext } from '../server/GatewayContext';

/** The request a care check is for: what identifies its plan, and its context. */
export interface LocatedRequest {
  readonly schema: GraphQLSchema;
  /** Apollo Server's hash of the document text. */
  readonly queryHash: string;
  readonly operationName: string | null | undefined;
  readonly variables: Readonly<Record<string, unknown>>;
  readonly context: GatewayContext;
}

/**
 * Where the care-relationship step learns the record locator (`facilityCodes`) of the patients an
 * operation names, before it is planned. Persons the index does not know are absent from the map.
 */
export interface RecordLocatorLookup {
  /** Code of the source asked (for the audit record's `sources`). */
  readonly sourceCode: string;
  /**
   * `request`, when given, lets the lookup send the operation's own planned fetch of the index
   * ahead of the plan and read the locator from its answer (IdentityRecordLocatorLookup.ts).
   */
  facilityCodesOf(nationalIds: readonly string[], principal: Principal, request?: LocatedRequest): Promise<ReadonlyMap<string, readonly string[]>>;
}
