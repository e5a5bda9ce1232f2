import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GeneratedFile } from './generateContractTypes';

/** The generated files whose committed text under `root` differs from what the SDL generates now (missing counts). */
export function staleGeneratedFiles(files: readonly GeneratedFile[], root: string): string[] {
  return files.filter((file) => readOrUndefined(join(root, file.path)) !== file.text).map((file) => file.path);
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
