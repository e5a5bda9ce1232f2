import type { ConsentDirectives } from '../../core/consent/ConsentDirectives';
import type { Principal } from '../../core/security/Principal';
import type { AccessRule, FieldGroup } from '../access-model/accessModel';
import { relationshipOf } from '../access-model/relationshipOf';
import { ruleAllows } from '../access-model/ruleAllows';
import { mayBreakTheGlass, ruleFor } from '../access-model/ruleFor';
import { WITHHELD_CATEGORIES_KEY, WITHHELD_FACILITIES_KEY } from '../../core/consent/consentRepresentationKeys';
import type { PatientRepresentation } from './routeRepresentations';

/** What the access rules decided for one batch of patients, before any hospital is asked. */
export interface AccessRuling {
  /** The representations to route: locator narrowed by consent, withheld categories attached. */
  readonly representations: PatientRepresentation[];
  /** Indices of patients outside the caller's care relationship without a break-the-glass grant. */
  readonly outsideCare: readonly number[];
  /** Per index, the facilities the patient's consent withholds from this caller. */
  readonly withheldFacilities: ReadonlyMap<number, readonly string[]>;
  /** Whether any patient was let through only by a break-the-glass grant. */
  readonly usedBreakTheGlass: boolean;
}

export interface AccessFacts {
  readonly principal: Principal | null;
  readonly consent: ReadonlyMap<string, ConsentDirectives>;
  /** Patients the principal holds an active break-the-glass grant for. */
  readonly grants: ReadonlySet<string>;
  /** The field groups the guarded source serves (default: `clinical`). */
  readonly groups?: readonly FieldGroup[];
  /**
   * `includePossibleMatches: true` was asked (the access model let only a clinician in care, or
   * under a grant, ask it): the facilities of the patient's undecided possible-match links
   * (`possibleMatchFacilityCodes`) are routed to as well. They never count for the care
   * relationship, and consent withholds them like any other facility.
   */
  readonly includePossibleMatches?: boolean;
  /**
   * The facilities to route to instead of the patient's record locator: a contract a source
   * brought goes to every one of its sources, which the locator does not name (docs/registry.md
   * §7). The locator still decides the care relationship; consent still withholds facilities.
   */
  readonly routeTo?: readonly string[];
}

/**
 * The row-level rules of the access model (gateway/access-model/accessModel.ts) applied again
 * where routing happens, so excluded sources are not even asked (the care-relationship step before
 * planning already refused; this holds if a grant expired in between): a clinician reads only
 * patients whose locator includes their facility, an auditor none, each else by break-the-glass;
 * a patient's consent removes opted-out facilities from the locator and sends
 * the withheld sensitive categories along to the sources (only they hold the codes to filter by).
 * A patient reading their own record is not restricted by their own consent.
 */
export function applyAccessRules(representations: readonly PatientRepresentation[], facts: AccessFacts): AccessRuling {
  const { principal } = facts;
  const rule = principal ? rowRule(principal, facts.groups ?? ['clinical']) : 'allow';
  // Grants count only for roles that may break the glass (whatever the store holds).
  const grantsCount = principal !== null && mayBreakTheGlass(principal);
  const outsideCare: number[] = [];
  const withheldFacilities = new Map<number, string[]>();
  let usedBreakTheGlass = false;
  const ruled = representations.map((representation, index): PatientRepresentation => {
    const careLocator = representation.facilityCodes ?? [];
    const routing = facts.routeTo ?? careLocator;
    const locator = facts.includePossibleMatches === true ? [...new Set([...routing, ...possibleMatchFacilityCodesOf(representation)])] : routing;
    if (principal && rule !== 'allow') {
      const inCare = relationshipOf(principal, representation.nationalId, careLocator) === 'in-care';
      if (!ruleAllows(rule, inCare ? 'in-care' : 'outside-care', grantsCount && facts.grants.has(representation.nationalId))) {
        outsideCare.push(index);
        return { ...representation, facilityCodes: [], locatorRestricted: true };
      }
      if (!inCare) usedBreakTheGlass = true;
    }
    const ownRecord = principal?.role === 'patient' && principal.sub === representation.nationalId;
    const consent = ownRecord ? undefined : facts.consent.get(representation.nationalId);
    if (!consent) return locator === careLocator ? representation : { ...representation, facilityCodes: locator };
    const withheld = locator.filter((code) => consent.optedOutFacilityCodes.includes(code));
    if (withheld.length > 0) withheldFacilities.set(index, withheld);
    const allowed = locator.filter((code) => !consent.optedOutFacilityCodes.includes(code));
    return {
      ...representation,
      facilityCodes: allowed,
      ...(allowed.length === 0 && locator.length > 0 ? { locatorRestricted: true } : {}),
      ...(consent.optedOutFacilityCodes.length > 0 ? { [WITHHELD_FACILITIES_KEY]: consent.optedOutFacilityCodes } : {}),
      ...(consent.optedOutCategories.length > 0 ? { [WITHHELD_CATEGORIES_KEY]: consent.optedOutCategories } : {}),
    };
  });
  return { representations: ruled, outsideCare, withheldFacilities, usedBreakTheGlass };
}

function possibleMatchFacilityCodesOf(representation: PatientRepresentation): string[] {
  const codes = representation.possibleMatchFacilityCodes;
  return Array.isArray(codes) ? codes.filter((c): c is string => typeof c === 'string') : [];
}

/**
 * The row rule for a source serving several groups: the strictest of the ones the role may read at
 * all (a group the role is denied was refused before planning, so it is not what is being fetched).
 */
function rowRule(principal: Principal, groups: readonly FieldGroup[]): AccessRule {
  const rules = groups.map((group) => ruleFor(principal, group)).filter((r) => r !== 'deny');
  if (rules.includes('needs-grant')) return 'needs-grant';
  if (rules.includes('needs-care')) return 'needs-care';
  return rules.length > 0 ? 'allow' : 'deny';
}
