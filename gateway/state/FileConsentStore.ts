import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ConsentDirectives } from '../../core/consent/ConsentDirectives';
import type { ConsentStore } from './ConsentStore';

/**
 * The embedded consent store: a map in memory, written through to a JSON file (write to a temp
 * file, then rename: a crash never leaves a half-written file). Without a path it is memory only.
 */
export class FileConsentStore implements ConsentStore {
  private readonly directives = new Map<string, ConsentDirectives>();
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly path: string | null) {
    if (path && existsSync(path)) {
      const saved = JSON.parse(readFileSync(path, 'utf8')) as Record<string, ConsentDirectives>;
      for (const [nationalId, value] of Object.entries(saved)) this.directives.set(nationalId, value);
    }
  }

  async getMany(nationalIds: readonly string[]): Promise<ReadonlyMap<string, ConsentDirectives>> {
    const found = new Map<string, ConsentDirectives>();
    for (const id of nationalIds) {
      const value = this.directives.get(id);
      if (value) found.set(id, value);
    }
    return found;
  }

  async set(nationalId: string, directives: ConsentDirectives): Promise<void> {
    this.directives.set(nationalId, directives);
    const path = this.path;
    if (!path) return;
    const snapshot = JSON.stringify(Object.fromEntries(this.directives));
    this.writing = this.writing.then(async () => {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      const temp = `${path}.${process.pid}.tmp`;
      await writeFile(temp, snapshot, { mode: 0o600 });
      await rename(temp, path);
    });
    await this.writing;
  }
}
