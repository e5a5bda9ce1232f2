import { Kind, type DocumentNode, type FieldDefinitionNode, type ObjectTypeDefinitionNode, type ObjectTypeExtensionNode } from 'graphql';
import { mergeContractOf } from './loadMergeContract';

/**
 * What keeps a contract a source brings from being served by the network data source
 * (docs/registry.md §7), each problem named; empty when it can be:
 * - `Patient`, keyed by `nationalId`, is its only entity (the fan-out routes patients);
 * - every `Query` field and every `Patient` field it adds has a `@merge` rule (its sources' answers
 *   are merged like the clinical hospitals');
 * - every `Patient` field it adds is nullable: a patient withheld from the contract's sources
 *   (consent, care relationship, a withheld sensitive category) gets that field `null` with its
 *   access error; a non-null field would null the whole patient instead (GraphQL null propagation).
 */
export function registeredContractProblems(typeDefs: DocumentNode): string[] {
  const problems: string[] = [];
  for (const definition of typeDefs.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    const name = definition.name.value;
    const keys = keyFieldsOf(definition);
    if (keys !== null && name !== 'Patient') problems.push(`${name}: only Patient may be an entity (@key) of a registered contract`);
    if (name !== 'Patient') continue;
    if (keys !== null && (keys.length !== 1 || keys[0] !== 'nationalId')) problems.push('Patient: its @key must be "nationalId"');
    for (const field of definition.fields ?? []) {
      if ((keys ?? []).includes(field.name.value) || hasDirective(field, 'external') || hasDirective(field, 'inaccessible')) continue;
      const shape = mergeShapeProblem(field);
      if (shape) problems.push(`Patient.${field.name.value}: ${shape}`);
      if (field.type.kind === Kind.NON_NULL_TYPE) {
        problems.push(
          `Patient.${field.name.value} is non-null; a registered contract's Patient fields must be nullable, so that a patient withheld from its sources loses that field only, with its access error, not the whole patient (declare it without the outer "!")`,
        );
      }
    }
  }
  try {
    mergeContractOf(typeDefs);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    problems.push(...message.split('\n').filter((line) => line.startsWith('- ')).map((line) => line.slice(2)));
    if (!message.includes('\n- ')) problems.push(message);
  }
  return problems;
}

/** CONCAT and SUM_BY_KEY merge lists, SUM numbers: a rule that does not fit its field would answer `[]` or 0 for it. */
function mergeShapeProblem(field: FieldDefinitionNode): string | undefined {
  const strategy = field.directives?.find((d) => d.name.value === 'merge')?.arguments?.find((a) => a.name.value === 'strategy')?.value;
  const name = strategy && (strategy.kind === Kind.STRING || strategy.kind === Kind.ENUM) ? strategy.value : undefined;
  if (name === undefined) return undefined;
  const type = field.type.kind === Kind.NON_NULL_TYPE ? field.type.type : field.type;
  if ((name === 'CONCAT' || name === 'SUM_BY_KEY') && type.kind !== Kind.LIST_TYPE) return `@merge(strategy: ${name}) needs a list`;
  if (name === 'SUM' && !(type.kind === Kind.NAMED_TYPE && (type.name.value === 'Int' || type.name.value === 'Float'))) return '@merge(strategy: SUM) needs Int or Float';
  return undefined;
}

function keyFieldsOf(type: ObjectTypeDefinitionNode | ObjectTypeExtensionNode): string[] | null {
  const keys = (type.directives ?? []).filter((d) => d.name.value === 'key');
  if (keys.length === 0) return null;
  return keys.flatMap((d) => d.arguments?.flatMap((a) => (a.name.value === 'fields' && a.value.kind === Kind.STRING ? a.value.value.split(/\s+/).filter(Boolean) : [])) ?? []);
}

function hasDirective(field: FieldDefinitionNode, name: string): boolean {
  return field.directives?.some((d) => d.name.value === name) ?? false;
}
