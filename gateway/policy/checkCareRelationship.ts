import { GraphQLError, Kind, type ValueNode } from 'graphql';
import { PatientGraphError } from '../../core/errors/PatientGraphError';
import { parseNationalId } from '../../core/identifiers/nationalId';
import type { Principal } from '../../core/security/Principal';
import { mayBreakTheGlass } from '../access-model/ruleFor';
import { relationshipOf } from '../access-model/relationshipOf';
import type { GrantStore } from '../state/GrantStore';
import type { FieldRequirements } from './FieldRequirement';
import type { OperationAccessSites } from './OperationAccessSites';
import type { LocatedRequest, RecordLocatorLookup } from './RecordLocatorLookup';
import { askedArgumentCoordinates } from './askedArgumentCoordinates';
import { rowRequirementOf, type RowRequirement } from './rowRequirementOf';

export interface CareRelationshipInput {
  /** The operation's fields under their patients, computed once per operation (OperationAccessSites.ts). */
  readonly sites: OperationAccessSites;
  readonly requirements: FieldRequirements;
  readonly principal: Principal;
  readonly variables: Readonly<Record<string, unknown>>;
  /** The request, so the locator can come from its plan's own fetch of the index (RecordLocatorLookup). */
  readonly request?: LocatedRequest;
}

export interface CareRelationshipFacts {
  readonly locator: RecordLocatorLookup;
  readonly grants: GrantStore;
}

export type CareDecision =
  | { readonly kind: 'allowed'; readonly usedGrant: boolean; readonly sourcesAsked: readonly string[] }
  | { readonly kind: 'refused'; readonly error: GraphQLError; readonly sourcesAsked: readonly string[] };

type Level = Exclude<RowRequirement, 'none' | 'never'>;
/** Per field coordinate under one patient: what it needs. */
type Need = Map<string, Level>;

/**
 * The care-relationship step (docs/security.md), after the role-level field policy and before
 * planning: for every patient an operation names, every field of a group the access model marks
 * `needs-care` or `needs-grant` for the caller's role is allowed only in the care relationship or
 * under an active break-the-glass grant. A refusal is FORBIDDEN for the whole operation, naming
 * the fields and the rule; no hospital and no VSS service is asked (only the patient index, for
 * the record locator, and only for a clinician's check). A person the index does
 * not know is refused like one outside the care relationship, so a refusal does not tell whether
 * the person exists (`patient(nationalId:) { nationalId }` alone does, for roles that may look up).
 */
export async function checkCareRelationship(input: CareRelationshipInput, facts: CareRelationshipFacts): Promise<CareDecision> {
  const needs = collectNeeds(input);
  if (needs.size === 0) return { kind: 'allowed', usedGrant: false, sourcesAsked: [] };
  const { principal } = input;
  // A malformed ID is the identifier step's to refuse (400); it is never sent to the index.
  const ids = [...needs.keys()].filter((id): id is string => id !== null && parseNationalId(id).kind !== 'invalid');
  const needsLocator = principal.role === 'clinician' && ids.length > 0;
  let locator: ReadonlyMap<string, readonly string[]> = new Map();
  if (needsLocator) {
    try {
      locator = await facts.locator.facilityCodesOf(ids, principal, input.request);
    } catch (error) {
      const cause = error instanceof PatientGraphError ? error : new PatientGraphError('SOURCE_UNAVAILABLE', 'The patient index could not be asked.', {}, { cause: error });
      const message = `${cause.message} The care relationship could not be checked, so nothing was read.`;
      return { kind: 'refused', error: new GraphQLError(message, { extensions: { ...cause.details, code: cause.code, http: { status: 503 } } }), sourcesAsked: [facts.locator.sourceCode] };
    }
  }
  const sourcesAsked = needsLocator ? [facts.locator.sourceCode] : [];
  let grants: ReadonlySet<string> = new Set();
  if (mayBreakTheGlass(principal) && ids.length > 0) {
    try {
      grants = await facts.grants.activeFor(principal.sub, ids);
    } catch {
      // The grant store (Redis for replicas) is down: deciding without it could wrongly refuse or allow.
      const message = 'The break-the-glass grants could not be read, so the care relationship could not be checked and nothing was read. Try again shortly.';
      return { kind: 'refused', error: new GraphQLError(message, { extensions: { code: 'ACCESS_STATE_UNAVAILABLE', http: { status: 503 } } }), sourcesAsked };
    }
  }
  const refused = new Map<string, Level>();
  let usedGrant = false;
  for (const [id, need] of needs) {
    const known = id !== null && ids.includes(id);
    const inCare = known && relationshipOf(principal, id, locator.get(id)) === 'in-care';
    const granted = known && grants.has(id);
    for (const [coordinate, level] of need) {
      const allowed = level === 'care-or-grant' ? inCare || granted : granted;
      if (!allowed) refused.set(coordinate, maxLevel(refused.get(coordinate), level));
      else if (level === 'grant' || !inCare) usedGrant = true;
    }
  }
  if (refused.size === 0) return { kind: 'allowed', usedGrant, sourcesAsked };
  return { kind: 'refused', error: careRefusal(principal, refused), sourcesAsked };
}

/** Patient (national ID, or null when it cannot be told) → what its fields need. */
function collectNeeds(input: CareRelationshipInput): Map<string | null, Need> {
  const { requirements, principal, variables } = input;
  const { care, patientArguments } = input.sites;
  const needs = new Map<string | null, Need>();
  const patients = patientArguments.map((value) => nationalIdArgument(value, variables));
  for (const site of care) {
    const patient = site.patient >= 0 ? (patients[site.patient] ?? null) : null;
    const add = (coordinate: string): void => {
      const requirement = requirements.get(coordinate);
      if (!requirement) return;
      const level = rowRequirementOf(requirement, principal);
      if (level === 'none' || level === 'never') return;
      if (level === 'care-or-grant' && site.filtered) return;
      const need: Need = needs.get(patient) ?? new Map<string, Level>();
      need.set(coordinate, maxLevel(need.get(coordinate), level));
      needs.set(patient, need);
    };
    for (const coordinate of site.coordinates) {
      add(coordinate);
      for (const argument of askedArgumentCoordinates(site.node, coordinate, variables)) add(argument);
    }
  }
  return needs;
}

function nationalIdArgument(node: ValueNode | undefined, variables: Readonly<Record<string, unknown>>): string | null {
  if (!node) return null;
  const value = node.kind === Kind.VARIABLE ? variables[node.name.value] : node.kind === Kind.STRING ? node.value : undefined;
  return typeof value === 'string' ? value : null;
}

function maxLevel(a: Level | undefined, b: Level): Level {
  return a === 'grant' || b === 'grant' ? 'grant' : 'care-or-grant';
}

function careRefusal(principal: Principal, refused: ReadonlyMap<string, Level>): GraphQLError {
  const fields = [...refused.keys()].sort();
  const rule = [...refused.values()].includes('grant') ? 'needs-grant' : 'needs-care';
  const message =
    principal.role === 'patient'
      ? `A patient may read only their own record (access rule "needs-care"): ${fields.join(', ')}.`
      : rule === 'needs-care'
        ? `Your role (${principal.role}) may read ${fields.join(', ')} only for a patient in your care (access rule "needs-care": the patient's record locator includes your facility) or under a break-the-glass grant. In an emergency, use breakTheGlass(nationalId, reason).`
        : `Your role (${principal.role}) may read ${fields.join(', ')} only under a break-the-glass grant for that patient (access rule "needs-grant"). Use breakTheGlass(nationalId, reason), which is audited and reviewed.`;
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN', fields, rule, http: { status: 403 } } });
}
