import { GraphQLError, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { Principal, Role } from '../../core/security/Principal';
import { askedArgumentCoordinates } from './askedArgumentCoordinates';
import { satisfies } from './checkFieldAccess';
import { checkCareRelationship, type CareRelationshipFacts } from './checkCareRelationship';
import type { FieldRequirements } from './FieldRequirement';
import { operationAccessSites, type OperationAccessSites } from './OperationAccessSites';
import type { LocatedRequest } from './RecordLocatorLookup';
import { grantedPolicies } from './rolePolicies';

export interface AccessModelOptions {
  readonly requirements: FieldRequirements;
  readonly rolePolicies: Readonly<Record<Role, ReadonlySet<string>>>;
  /** The record locator and the grants, for the care-relationship step. */
  readonly care: CareRelationshipFacts;
}

export interface AccessModelInput {
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  readonly schema: GraphQLSchema;
  readonly principal: Principal | null;
  readonly variables: Readonly<Record<string, unknown>>;
  /** Told of every source asked to decide, refused or not (the audit record names it). */
  readonly onSourceAsked?: (code: string) => void;
  /** The request being decided (its plan's fetch of the index can carry the record locator). */
  readonly request?: LocatedRequest;
}

/** What the step learned on the way, for the audit record. */
export interface AccessModelFacts {
  /** Something was readable only under a break-the-glass grant (the audit record is flagged). */
  readonly usedGrant: boolean;
  /** Sources asked to decide (the patient index, for the record locator). */
  readonly sourcesAsked: readonly string[];
}

/**
 * The "field policy and care relationship" step of the request pipeline (docs/architecture.md §9,
 * docs/security.md), before planning: first by role — the contracts' `@authenticated` /
 * `@requiresScopes` / `@policy` over every selection with type information, so aliases, fragments,
 * nested fields and interfaces are all seen (a field selected on an interface must be allowed on
 * the interface and on every type implementing it); then by patient — checkCareRelationship.
 * Throws FORBIDDEN (403) naming the fields and the rule of the access model; no side effect.
 */
export async function enforceAccessModel(input: AccessModelInput, options: AccessModelOptions): Promise<AccessModelFacts> {
  const { principal } = input;
  const granted = grantedPolicies(principal, options.rolePolicies);
  // The fields, their owners and patients are the operation's own (cached); rules and variables are read now.
  const sites = operationAccessSites(input.document, input.operation, input.schema);
  const denied = deniedCoordinates(sites, options.requirements, principal, granted, input.variables);
  if (denied.length > 0) {
    throw new GraphQLError(
      `Your role (${principal?.role ?? 'anonymous'}${principal ? `, purpose ${principal.purposeOfUse}` : ''}) may not read: ${denied.join(', ')} (access rule "deny").`,
      { extensions: { code: 'FORBIDDEN', fields: denied, rule: 'deny', http: { status: 403 } } },
    );
  }
  if (!principal) return { usedGrant: false, sourcesAsked: [] };
  const decision = await checkCareRelationship(
    { sites, requirements: options.requirements, principal, variables: input.variables, ...(input.request ? { request: input.request } : {}) },
    options.care,
  );
  for (const code of decision.sourcesAsked) input.onSourceAsked?.(code);
  if (decision.kind === 'refused') throw decision.error;
  return { usedGrant: decision.usedGrant, sourcesAsked: decision.sourcesAsked };
}

function deniedCoordinates(
  sites: OperationAccessSites,
  requirements: FieldRequirements,
  principal: Principal | null,
  granted: ReadonlySet<string>,
  variables: Readonly<Record<string, unknown>>,
): string[] {
  const denied = new Set<string>();
  const check = (coordinate: string): void => {
    const requirement = requirements.get(coordinate);
    if (requirement && !satisfies(requirement, principal, granted)) denied.add(coordinate);
  };
  for (const site of sites.policy) {
    for (const coordinate of site.coordinates) {
      check(coordinate);
      for (const argument of askedArgumentCoordinates(site.node, coordinate, variables)) check(argument);
    }
    check(site.namedType);
  }
  return [...denied].sort();
}
