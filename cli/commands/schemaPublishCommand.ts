import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringOption, type CliCommand } from '../CliCommand';
import { DEFAULT_SCHEMA_DIR } from './schemaCheckCommand';

/** `patient-graph schema publish`: writes the current client API and contracts to schema/ (commit them). */
export const schemaPublishCommand: CliCommand = {
  path: ['schema', 'publish'],
  summary: 'write the current schema and contracts to schema/, the versions `schema check` compares with',
  define(command) {
    command.option('--dir <folder>', 'where to write (default: schema)');
  },
  async run(input, io) {
    const dir = resolve(stringOption(input, 'dir') ?? DEFAULT_SCHEMA_DIR);
    const { currentSchemas } = await import('../schema/publishedSchemas');
    mkdirSync(dir, { recursive: true });
    for (const schema of currentSchemas()) {
      writeFileSync(join(dir, `${schema.name}.graphql`), schema.sdl.endsWith('\n') ? schema.sdl : `${schema.sdl}\n`);
      io.out(`wrote ${join(dir, `${schema.name}.graphql`)}`);
    }
    return 0;
  },
};
