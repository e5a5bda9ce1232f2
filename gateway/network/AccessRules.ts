import type { Principal } from '../../core/security/Principal';
import type { FieldGroup } from '../access-model/accessModel';
import { mayBreakTheGlass } from '../access-model/ruleFor';
import type { ConsentStore } from '../state/ConsentStore';
import type { GrantStore } from '../state/GrantStore';
import { applyAccessRules, type AccessRuling } from './applyAccessRules';
import type { PatientRepresentation } from './routeRepresentations';

/** Reads consent directives and break-the-glass grants for a batch of patients and rules on it. */
export class AccessRules {
  constructor(
    private readonly consent: ConsentStore,
    private readonly grants: GrantStore,
    /** The field groups of the source this guards (access model rows). */
    private readonly groups: readonly FieldGroup[] = ['clinical'],
  ) {}

  /** `routeTo`: route to these facilities instead of each patient's locator (applyAccessRules.ts). */
  async rule(representations: readonly PatientRepresentation[], principal: Principal | null, includePossibleMatches = false, routeTo?: readonly string[]): Promise<AccessRuling> {
    const ids = [...new Set(representations.map((r) => r.nationalId))];
    const [consent, grants] = await Promise.all([
      this.consent.getMany(ids),
      principal && mayBreakTheGlass(principal) ? this.grants.activeFor(principal.sub, ids) : Promise.resolve(new Set<string>()),
    ]);
    return applyAccessRules(representations, { principal, consent, grants, groups: this.groups, includePossibleMatches, ...(routeTo ? { routeTo } : {}) });
  }
}
