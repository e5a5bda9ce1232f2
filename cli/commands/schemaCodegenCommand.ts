import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { stringOption, type CliCommand } from '../CliCommand';

/**
 * `patient-graph schema codegen` (`npm run codegen`): writes the TypeScript types of every contract
 * (contracts/generated/) and of the client example's operations (examples/generated/), generated
 * from the SDL with GraphQL Code Generator. `schema check` fails while they are stale.
 */
export const schemaCodegenCommand: CliCommand = {
  path: ['schema', 'codegen'],
  summary: 'generate the TypeScript types of the contracts and of the client example (npm run codegen)',
  define(command) {
    command.option('--root <folder>', 'the repository root to write under (default: the working directory)');
  },
  async run(input, io) {
    const root = resolve(stringOption(input, 'root') ?? '.');
    const [{ currentSchemas }, { generateContractTypes }] = await Promise.all([import('../schema/publishedSchemas'), import('../schema/generateContractTypes')]);
    for (const file of await generateContractTypes(currentSchemas(), root)) {
      const path = join(root, file.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.text);
      io.out(`wrote ${file.path}`);
    }
    return 0;
  },
};
