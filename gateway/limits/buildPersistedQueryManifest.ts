import {
  Kind,
  parse,
  print,
  validate,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { PersistedOperation, PersistedQueryManifest } from './PersistedQueryManifest';
import { sha256Hex } from '../../core/crypto/sha256Hex';

/** A `.graphql` file of operations and fragments (see `readOperationFiles`). */
export interface OperationFile {
  /** Where it was read from, for error messages. */
  readonly path: string;
  readonly text: string;
}

export interface BuildManifestOptions {
  /** When given, every operation is validated against it (the gateway's API schema). */
  readonly schema?: GraphQLSchema;
}

interface Located<T> {
  readonly node: T;
  readonly path: string;
}

/**
 * Builds an Apollo persisted-query manifest from operation files. Pure: the same files give the
 * same manifest, byte for byte. Fragments may live in any file; each operation's body is the
 * operation followed by the fragments it uses, sorted by name, printed by graphql-js — the form
 * Apollo's tooling hashes (`print(sortTopLevelDefinitions(document))` of @apollo/persisted-query-lists),
 * so ids match what Apollo clients compute. Throws with every problem of every file at once.
 */
export function buildPersistedQueryManifest(files: readonly OperationFile[], options: BuildManifestOptions = {}): PersistedQueryManifest {
  const problems: string[] = [];
  const operations = new Map<string, Located<OperationDefinitionNode>>();
  const fragments = new Map<string, Located<FragmentDefinitionNode>>();
  for (const file of files) {
    let document: DocumentNode;
    try {
      document = parse(file.text);
    } catch (error: unknown) {
      problems.push(`${file.path}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) {
        const name = definition.name.value;
        const earlier = fragments.get(name);
        if (earlier) problems.push(`${file.path}: fragment ${name} is already defined in ${earlier.path}`);
        else fragments.set(name, { node: definition, path: file.path });
      } else if (definition.kind === Kind.OPERATION_DEFINITION) {
        const name = definition.name?.value;
        const earlier = name === undefined ? undefined : operations.get(name);
        if (name === undefined) problems.push(`${file.path}: every operation needs a name (the manifest lists operations by name)`);
        else if (earlier) problems.push(`${file.path}: operation ${name} is already defined in ${earlier.path}`);
        else operations.set(name, { node: definition, path: file.path });
      } else {
        problems.push(`${file.path}: only operations and fragments belong in an operation file, found ${definition.kind}`);
      }
    }
  }
  const built: PersistedOperation[] = [];
  for (const [name, { node, path }] of [...operations].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const used = usedFragments(node, fragments, (missing) => problems.push(`${path}: operation ${name} uses fragment ${missing}, which no file defines`));
    const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [node, ...used] };
    if (options.schema) {
      for (const error of validate(options.schema, document)) problems.push(`${path}: operation ${name}: ${error.message}`);
    }
    const body = print(document);
    built.push({ id: sha256Hex(body), name, type: node.operation, body });
  }
  if (problems.length > 0) throw new Error(`Cannot build the persisted-query manifest:\n- ${problems.join('\n- ')}`);
  return { format: 'apollo-persisted-query-manifest', version: 1, operations: built };
}

/** The fragments an operation uses, directly or through other fragments, sorted by name. */
function usedFragments(
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, Located<FragmentDefinitionNode>>,
  onMissing: (name: string) => void,
): FragmentDefinitionNode[] {
  const found = new Map<string, FragmentDefinitionNode>();
  const pending: (OperationDefinitionNode | FragmentDefinitionNode)[] = [operation];
  for (let next = pending.pop(); next; next = pending.pop()) {
    visit(next, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        if (found.has(name)) return;
        const fragment = fragments.get(name);
        if (!fragment) {
          onMissing(name);
          return;
        }
        found.set(name, fragment.node);
        pending.push(fragment.node);
      },
    });
  }
  return [...found.values()].sort((a, b) => (a.name.value < b.name.value ? -1 : a.name.value > b.name.value ? 1 : 0));
}
