import { mkdirSync, readFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ConsentDirectives } from '../../core/consent/ConsentDirectives';
import { guardAccessState } from './accessStateUnavailable';
import type { ConsentStore } from './ConsentStore';

type Directives = ReadonlyMap<string, ConsentDirectives>;

/**
 * The embedded consent store: a map in memory, written through to a JSON file (write to a temp
 * file, then rename: a crash never leaves a half-written file). Without a path it is memory only.
 *
 * Like the Redis stores (gateway/state/RedisConsentStore.ts), a file it cannot read or write makes
 * every call reject with ACCESS_STATE_UNAVAILABLE (503): an unreadable file is never taken for
 * "no directives" (that would ignore every opt-out), and a failed write changes nothing, in the
 * file or in memory. The file is read on first use and again on each call until it has been read,
 * so a fixed file serves without a restart.
 */
export class FileConsentStore implements ConsentStore {
  /** The directives the file held plus every acknowledged change; undefined until the file is read. */
  private directives: Directives | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly path: string | null) {
    if (!path) this.directives = new Map();
  }

  async getMany(nationalIds: readonly string[]): Promise<ReadonlyMap<string, ConsentDirectives>> {
    const directives = await guardAccessState(async () => this.loaded());
    const found = new Map<string, ConsentDirectives>();
    for (const id of nationalIds) {
      const value = directives.get(id);
      if (value) found.set(id, value);
    }
    return found;
  }

  async set(nationalId: string, directives: ConsentDirectives): Promise<void> {
    // Serialised: each change is written on top of the one before it.
    const change = this.writing.then(() =>
      guardAccessState(async () => {
        const next = new Map(this.loaded());
        next.set(nationalId, directives);
        if (this.path) await writeAtomically(this.path, JSON.stringify(Object.fromEntries(next)));
        this.directives = next;
      }),
    );
    this.writing = change.catch(() => undefined);
    await change;
  }

  private loaded(): Directives {
    if (this.directives) return this.directives;
    this.directives = this.path ? readDirectives(this.path) : new Map();
    return this.directives;
  }
}

/** The directives saved at `path`; none when there is no file yet. Throws when it cannot be read or parsed. */
function readDirectives(path: string): Directives {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  return new Map(Object.entries(JSON.parse(text) as Record<string, ConsentDirectives>));
}

async function writeAtomically(path: string, text: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temp, text, { mode: 0o600 });
    await rename(temp, path);
  } catch (error) {
    // Leave no half-written temp file behind; a temp path that is not a file is left as found.
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}
