import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** A claim file as the folder lists it. */
export interface FolderEntry {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/**
 * The `*.xml` files of a folder and its sub-folders (hospitals often sort exports by month),
 * sorted by path. Hidden entries (`.partial.xml`, `.tmp/`) and symbolic links are skipped, so a
 * writer can stage a file under a dot-name and rename it when complete. A file that disappears
 * while being listed is simply not listed. Throws when the folder itself cannot be read.
 */
export async function scanXml130Folder(folder: string): Promise<FolderEntry[]> {
  const entries: FolderEntry[] = [];
  await walk(folder, entries, true);
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function walk(directory: string, into: FolderEntry[], isRoot: boolean): Promise<void> {
  let children;
  try {
    children = await readdir(directory, { withFileTypes: true });
  } catch (error) {
    if (isRoot) throw error;
    return; // a sub-folder removed or unreadable meanwhile
  }
  for (const child of children) {
    if (child.name.startsWith('.')) continue;
    const path = join(directory, child.name);
    if (child.isDirectory()) {
      await walk(path, into, false);
    } else if (child.isFile() && /\.xml$/i.test(child.name)) {
      try {
        const info = await stat(path);
        into.push({ path, size: info.size, mtimeMs: info.mtimeMs });
      } catch {
        // removed between readdir and stat
      }
    }
  }
}
