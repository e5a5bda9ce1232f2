import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { buildSchema, parse, type GraphQLSchema } from 'graphql';
import { parse as parseYaml } from 'yaml';
import { apiSchemaOf } from '../../gateway/supergraph/apiSchemaOf';
import { composeSupergraph } from '../../gateway/supergraph/composeSupergraph';
import { CONTRACT_NAMES, loadContract } from '../../contracts/loadContract';

/** One schema the project publishes in schema/: the client API of the supergraph, or a contract. */
export interface PublishedSchema {
  /** `supergraph` or a contract name; the file is `schema/<name>.graphql`. */
  readonly name: string;
  readonly sdl: string;
  /** Builds the SDL into a schema (contracts carry federation directives, so they build as subgraphs). */
  readonly build: (sdl: string) => GraphQLSchema;
}

/** A breaking change someone reviewed and meant: `schema/declared-breaking-changes.yaml`. */
export interface DeclaredBreakingChange {
  readonly schema: string;
  /** The schema coordinate graphql-inspector reports (`Patient.oldField`, `Query.patient.nationalId`). */
  readonly path: string;
  readonly reason: string;
}

export const DECLARED_BREAKING_CHANGES_FILE = 'declared-breaking-changes.yaml';

/** The schemas as the code defines them now: the supergraph's client API and every contract. */
export function currentSchemas(): PublishedSchema[] {
  const buildContract = (sdl: string): GraphQLSchema => buildSubgraphSchema({ typeDefs: parse(sdl) });
  return [
    { name: 'supergraph', sdl: apiSchemaOf(composeSupergraph()), build: (sdl) => buildSchema(sdl) },
    ...CONTRACT_NAMES.map((name) => ({ name, sdl: loadContract(name).sdl, build: buildContract })),
  ];
}

/** The published SDL of `name` in `dir`, or undefined when it was never published. */
export function readPublishedSdl(dir: string, name: string): string | undefined {
  try {
    return readFileSync(join(dir, `${name}.graphql`), 'utf8');
  } catch {
    return undefined;
  }
}

/** The declared breaking changes in `dir` (none when the file is absent). */
export function readDeclaredBreakingChanges(dir: string): DeclaredBreakingChange[] {
  let text: string;
  try {
    text = readFileSync(join(dir, DECLARED_BREAKING_CHANGES_FILE), 'utf8');
  } catch {
    return [];
  }
  const raw: unknown = parseYaml(text) ?? [];
  if (!Array.isArray(raw)) throw new Error(`${DECLARED_BREAKING_CHANGES_FILE}: expected a list of { schema, path, reason }`);
  return raw.map((item: unknown, index) => {
    const entry = (item ?? {}) as Record<string, unknown>;
    const { schema, path, reason } = entry;
    if (typeof schema !== 'string' || typeof path !== 'string' || typeof reason !== 'string' || reason.trim() === '') {
      throw new Error(`${DECLARED_BREAKING_CHANGES_FILE}[${index}]: expected { schema, path, reason } with a reason`);
    }
    return { schema, path, reason };
  });
}
