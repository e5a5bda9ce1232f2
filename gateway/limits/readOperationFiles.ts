import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { OperationFile } from './buildPersistedQueryManifest';

/**
 * Every `.graphql` / `.gql` file under `folder` (recursively), in path order so that the manifest
 * built from them does not depend on the file system's listing order. Paths are relative to
 * `folder`.
 */
export async function readOperationFiles(folder: string): Promise<OperationFile[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const paths = entries
    .filter((entry) => entry.isFile() && /\.(graphql|gql)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  return Promise.all(paths.map(async (path) => ({ path: relative(folder, path), text: await readFile(path, 'utf8') })));
}
