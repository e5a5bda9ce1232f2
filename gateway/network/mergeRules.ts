import { Kind, type ConstDirectiveNode, type ConstValueNode, type DocumentNode, type FieldDefinitionNode, type ObjectTypeDefinitionNode, type ObjectTypeExtensionNode } from 'graphql';

/**
 * Merge rules declared in a contract with `@merge` (contracts/clinical.graphql). Composition
 * drops custom directives, so the gateway reads them from the contract SDL it holds (docs/architecture.md §3).
 */
export type MergeStrategy = 'CONCAT' | 'SUM' | 'SUM_BY_KEY' | 'COHORT';

export interface MergeRule {
  readonly strategy: MergeStrategy;
  /** SUM_BY_KEY: scalar field of each row that groups rows. */
  readonly key: string | null;
  /** Path of a scalar inside each list item to sort by, e.g. ['period', 'start']. */
  readonly orderBy: readonly string[] | null;
  readonly direction: 'ASC' | 'DESC';
  /** Argument that truncates the merged list; not forwarded to sources. */
  readonly limitArg: string | null;
  /**
   * `@disclose`: the field is an aggregate the gateway releases only through disclosure control
   * (docs/analytics.md): a total (`countField` null) or rows whose `countField` is the count.
   */
  readonly disclose: {
    readonly countField: string | null;
    /** Hidden list of keyed pseudonyms per row: the count is the size of their union across sources. */
    readonly distinctField: string | null;
    /**
     * Summed money fields of each row (`@disclose(amounts:)`): released only with the row's count,
     * and rounded (docs/analytics.md, "Cost").
     */
    readonly amountFields: readonly string[];
  } | null;
  /**
   * `@sensitiveCode(path:)`: dotted path, inside each item of the list, of its ICD-10 code(s). The
   * gateway drops an item whose code falls in a sensitive category the patient withholds
   * (docs/registry.md §7); absent on the clinical contract, whose sources filter themselves.
   */
  readonly sensitiveCode?: readonly string[] | null;
}

/** `Type.field` → rule. */
export type MergeRules = ReadonlyMap<string, MergeRule>;

export function mergeRuleCoordinate(typeName: string, fieldName: string): string {
  return `${typeName}.${fieldName}`;
}

/**
 * Reads every `@merge` of a contract and checks that each field the network data source must merge
 * has one: every root field and every non-key, non-external field of the entity types. Fails fast
 * (at gateway start) with every problem listed.
 */
export function readMergeRules(contract: DocumentNode, entityTypes: readonly string[]): MergeRules {
  const rules = new Map<string, MergeRule>();
  const problems: string[] = [];
  for (const definition of contract.definitions) {
    if (!isObjectType(definition)) continue;
    const typeName = definition.name.value;
    const mustMerge = typeName === 'Query' || entityTypes.includes(typeName);
    for (const field of definition.fields ?? []) {
      const coordinate = mergeRuleCoordinate(typeName, field.name.value);
      const directive = field.directives?.find((d) => d.name.value === 'merge');
      if (directive) {
        const rule = parseMergeDirective(directive, coordinate, problems);
        const disclose = parseDiscloseDirective(field, coordinate, rule, problems);
        const sensitiveCode = parseSensitiveCodeDirective(field, coordinate, rule, problems);
        if (rule) rules.set(coordinate, { ...rule, disclose, ...(sensitiveCode ? { sensitiveCode } : {}) });
      } else if (mustMerge && !isKeyOrExternal(field, definition) && !isInaccessible(field)) {
        problems.push(`${coordinate} has no @merge rule`);
      }
    }
  }
  if (problems.length > 0) {
    throw new Error(`invalid merge rules in the contract:\n${problems.map((p) => `- ${p}`).join('\n')}`);
  }
  return rules;
}

function parseMergeDirective(directive: ConstDirectiveNode, coordinate: string, problems: string[]): Omit<MergeRule, 'disclose'> | undefined {
  const args = new Map(directive.arguments?.map((a) => [a.name.value, a.value]) ?? []);
  const strategy = enumOrString(args.get('strategy'));
  if (strategy !== 'CONCAT' && strategy !== 'SUM' && strategy !== 'SUM_BY_KEY' && strategy !== 'COHORT') {
    problems.push(`${coordinate}: unknown merge strategy ${String(strategy)}`);
    return undefined;
  }
  const key = enumOrString(args.get('key')) ?? null;
  if (strategy === 'SUM_BY_KEY' && !key) {
    problems.push(`${coordinate}: SUM_BY_KEY needs a key`);
    return undefined;
  }
  const orderBy = enumOrString(args.get('orderBy'));
  const direction = enumOrString(args.get('direction')) ?? 'ASC';
  if (direction !== 'ASC' && direction !== 'DESC') {
    problems.push(`${coordinate}: direction must be ASC or DESC`);
    return undefined;
  }
  return {
    strategy,
    key,
    orderBy: orderBy ? orderBy.split('.') : null,
    direction,
    limitArg: enumOrString(args.get('limitArg')) ?? null,
  };
}

/**
 * A disclosed total must be summed (SUM); disclosed rows must be grouped (SUM_BY_KEY) so that each
 * cell's count is the network's, not one hospital's, before small cells are found.
 */
function parseDiscloseDirective(
  field: FieldDefinitionNode,
  coordinate: string,
  rule: Omit<MergeRule, 'disclose'> | undefined,
  problems: string[],
): MergeRule['disclose'] {
  const directive = field.directives?.find((d) => d.name.value === 'disclose');
  if (!directive || !rule) return null;
  const countField = enumOrString(directive.arguments?.find((a) => a.name.value === 'count')?.value) ?? null;
  const distinctField = enumOrString(directive.arguments?.find((a) => a.name.value === 'distinct')?.value) ?? null;
  if (distinctField !== null && countField === null) problems.push(`${coordinate}: @disclose(distinct:) needs \`count\``);
  if (countField === null && rule.strategy !== 'SUM') problems.push(`${coordinate}: @disclose without \`count\` needs strategy SUM`);
  if (countField !== null && rule.strategy !== 'SUM_BY_KEY') problems.push(`${coordinate}: @disclose(count:) needs strategy SUM_BY_KEY`);
  const amounts = enumOrString(directive.arguments?.find((a) => a.name.value === 'amounts')?.value);
  const amountFields = amounts === undefined ? [] : amounts.split(/\s+/).filter((name) => name !== '');
  if (amountFields.length > 0 && countField === null) problems.push(`${coordinate}: @disclose(amounts:) needs \`count\``);
  return { countField, distinctField, amountFields };
}

/** `@sensitiveCode(path: "reason.code")` on a merged list: where each item holds its ICD-10 code. */
function parseSensitiveCodeDirective(
  field: FieldDefinitionNode,
  coordinate: string,
  rule: Omit<MergeRule, 'disclose'> | undefined,
  problems: string[],
): readonly string[] | null {
  const directive = field.directives?.find((d) => d.name.value === 'sensitiveCode');
  if (!directive || !rule) return null;
  const path = enumOrString(directive.arguments?.find((a) => a.name.value === 'path')?.value);
  if (!path || !/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/.test(path)) {
    problems.push(`${coordinate}: @sensitiveCode needs \`path\`, a dotted field path inside each item`);
    return null;
  }
  if (rule.strategy !== 'CONCAT') problems.push(`${coordinate}: @sensitiveCode needs strategy CONCAT (a list of items)`);
  return path.split('.');
}

function enumOrString(value: ConstValueNode | undefined): string | undefined {
  if (!value) return undefined;
  return value.kind === Kind.STRING || value.kind === Kind.ENUM ? value.value : undefined;
}

function isObjectType(node: DocumentNode['definitions'][number]): node is ObjectTypeDefinitionNode | ObjectTypeExtensionNode {
  return node.kind === Kind.OBJECT_TYPE_DEFINITION || node.kind === Kind.OBJECT_TYPE_EXTENSION;
}

/** Not in the client API, so never planned through the network data source (e.g. `patientChanges`). */
function isInaccessible(field: FieldDefinitionNode): boolean {
  return field.directives?.some((d) => d.name.value === 'inaccessible') ?? false;
}

function isKeyOrExternal(field: FieldDefinitionNode, type: ObjectTypeDefinitionNode | ObjectTypeExtensionNode): boolean {
  if (field.directives?.some((d) => d.name.value === 'external')) return true;
  return (type.directives ?? []).some(
    (d) => d.name.value === 'key' && d.arguments?.some((a) => a.value.kind === Kind.STRING && a.value.value.split(/\s+/).includes(field.name.value)),
  );
}
