import { FIELD_GROUPS, type FieldGroup } from './accessModel';

/** Whether a `@policy` name is a field group of the access model. */
export function isFieldGroup(name: string): name is FieldGroup {
  return (FIELD_GROUPS as readonly string[]).includes(name);
}
