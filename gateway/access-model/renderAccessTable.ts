import { ROLES } from '../../core/security/Principal';
import { ACCESS_MODEL, FIELD_GROUPS, FIELD_GROUP_INFO, type AccessRule, type FieldGroup } from './accessModel';

const CELL: Readonly<Record<AccessRule, string>> = { allow: 'yes', deny: '—', 'needs-care': 'care', 'needs-grant': 'grant' };

/**
 * The README's "Who may see what" table, generated from the access model and the fields each
 * contract assigns to a group (`Type.field` → the policy names of its `@policy`). A test holds the
 * README equal to this text, so neither can change alone.
 */
export function renderAccessTable(fieldsByGroup: ReadonlyMap<FieldGroup, readonly string[]>): string {
  const header = `| field group | fields | ${ROLES.map((role) => `\`${role}\``).join(' | ')} |`;
  const rule = `|---|---|${ROLES.map(() => '---').join('|')}|`;
  const rows = FIELD_GROUPS.map((group) => {
    const fields = [...(fieldsByGroup.get(group) ?? [])].sort().map((f) => `\`${f}\``).join(', ');
    const cells = ROLES.map((role) => CELL[ACCESS_MODEL[role][group]]);
    return `| \`${group}\`: ${FIELD_GROUP_INFO[group].label} | ${fields} | ${cells.join(' | ')} |`;
  });
  return [header, rule, ...rows].join('\n');
}
