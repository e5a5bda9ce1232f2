import type { FieldRequirements } from '../policy/FieldRequirement';
import type { FieldGroup } from './accessModel';
import { isFieldGroup } from './isFieldGroup';

/** The schema coordinates each field group covers, from the requirements read off the contracts. */
export function fieldsByGroup(requirements: FieldRequirements): Map<FieldGroup, string[]> {
  const byGroup = new Map<FieldGroup, string[]>();
  for (const [coordinate, requirement] of requirements) {
    for (const name of new Set((requirement.policies ?? []).flat())) {
      if (isFieldGroup(name)) byGroup.set(name, [...(byGroup.get(name) ?? []), coordinate]);
    }
  }
  return byGroup;
}
