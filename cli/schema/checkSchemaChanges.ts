import { CriticalityLevel, diff } from '@graphql-inspector/core';
import type { DeclaredBreakingChange, PublishedSchema } from './publishedSchemas';

/** One difference between the published and the current schema. */
export interface SchemaChange {
  readonly schema: string;
  readonly level: 'BREAKING' | 'DANGEROUS' | 'NON_BREAKING';
  readonly path: string;
  readonly message: string;
  /** For a breaking change: whether schema/declared-breaking-changes.yaml declares it. */
  readonly declared: boolean;
}

/**
 * The changes from each published schema to the current one (graphql-inspector's rules: a removed
 * field or a new required argument is breaking, an added field is not). A schema never published
 * has no changes to check: publishing it is the first version.
 */
export async function checkSchemaChanges(
  current: readonly PublishedSchema[],
  published: (name: string) => string | undefined,
  declared: readonly DeclaredBreakingChange[],
): Promise<SchemaChange[]> {
  const changes: SchemaChange[] = [];
  for (const schema of current) {
    const before = published(schema.name);
    if (before === undefined) continue;
    for (const change of await diff(schema.build(before), schema.build(schema.sdl))) {
      const level = change.criticality.level === CriticalityLevel.Breaking ? 'BREAKING' : change.criticality.level === CriticalityLevel.Dangerous ? 'DANGEROUS' : 'NON_BREAKING';
      const path = change.path ?? '';
      changes.push({
        schema: schema.name,
        level,
        path,
        message: change.message,
        declared: level === 'BREAKING' && declared.some((d) => d.schema === schema.name && d.path === path),
      });
    }
  }
  return changes;
}
