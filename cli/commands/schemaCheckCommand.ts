import { resolve } from 'node:path';
import { stringOption, type CliCommand } from '../CliCommand';

/** Where the published schemas live, relative to the working directory (the repository root in CI). */
export const DEFAULT_SCHEMA_DIR = 'schema';

/**
 * `patient-graph schema check`: compares the supergraph's client API and every contract with the
 * versions published in schema/ (graphql-inspector). Exit 1 on a breaking change that
 * schema/declared-breaking-changes.yaml does not declare; other changes are listed, exit 0.
 * Also exit 1 when the generated contract types (`npm run codegen`) are stale.
 */
export const schemaCheckCommand: CliCommand = {
  path: ['schema', 'check'],
  summary: 'compare the schema and contracts with the published ones in schema/; exit 1 on an undeclared breaking change',
  define(command) {
    command.option('--dir <folder>', 'the published schemas (default: schema)');
    command.option('--root <folder>', 'the repository root holding the generated types (default: the working directory)').addHelpText(
      'after',
      '\nA breaking change that is meant is declared in <dir>/declared-breaking-changes.yaml as\n  - { schema: supergraph, path: Patient.oldField, reason: "why clients can cope" }\nAfter a change: patient-graph schema publish, and commit schema/.',
    );
  },
  async run(input, io) {
    const dir = resolve(stringOption(input, 'dir') ?? DEFAULT_SCHEMA_DIR);
    const root = resolve(stringOption(input, 'root') ?? '.');
    const [{ currentSchemas, readDeclaredBreakingChanges, readPublishedSdl }, { checkSchemaChanges }, { generateContractTypes }, { staleGeneratedFiles }] = await Promise.all([
      import('../schema/publishedSchemas'),
      import('../schema/checkSchemaChanges'),
      import('../schema/generateContractTypes'),
      import('../schema/staleGeneratedFiles'),
    ]);
    const current = currentSchemas();
    const unpublished = current.filter((schema) => readPublishedSdl(dir, schema.name) === undefined).map((schema) => schema.name);
    const changes = await checkSchemaChanges(current, (name) => readPublishedSdl(dir, name), readDeclaredBreakingChanges(dir));
    for (const change of changes) {
      const mark = change.level === 'BREAKING' ? (change.declared ? 'BREAKING (declared)' : 'BREAKING') : change.level;
      io.out(`${change.schema}: ${mark}: ${change.message}${change.path ? ` [${change.path}]` : ''}`);
    }
    for (const name of unpublished) io.out(`${name}: not published yet (patient-graph schema publish)`);
    const stale = staleGeneratedFiles(await generateContractTypes(current, root), root);
    for (const path of stale) io.err(`${path}: stale generated types (npm run codegen, and commit it)`);
    const undeclared = changes.filter((change) => change.level === 'BREAKING' && !change.declared);
    if (undeclared.length > 0) {
      io.err(`patient-graph schema check: ${undeclared.length} undeclared breaking change${undeclared.length === 1 ? '' : 's'} against ${dir}; declare them in declared-breaking-changes.yaml with a reason, or undo them`);
      return 1;
    }
    if (stale.length > 0) return 1;
    io.out(changes.length === 0 && unpublished.length === 0 ? `schema check: the schema and ${current.length - 1} contracts match ${dir}` : 'schema check: no undeclared breaking change (run patient-graph schema publish and commit schema/ to record the rest)');
    return 0;
  },
};
