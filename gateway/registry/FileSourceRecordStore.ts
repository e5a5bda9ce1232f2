import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseSourceRecord } from './parseSourceRecord';
import type { SourceRecord } from './SourceRecord';
import type { SourceRecordStore } from './SourceRecordStore';

interface RegistryFile {
  readonly version: 1;
  readonly sources: readonly SourceRecord[];
}

/**
 * The embedded registry (one gateway, `npm start`): a JSON file rewritten whole on each change,
 * atomically — written to a temporary file in the same folder, fsynced, then renamed over the old
 * one (rename(2) replaces atomically), so a crash leaves the old registry or the new one, never
 * half of either. Changes are serialized in this process.
 */
export class FileSourceRecordStore implements SourceRecordStore {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly path: string) {}

  async list(): Promise<readonly SourceRecord[]> {
    return (await this.read()).sources;
  }

  create(record: SourceRecord): Promise<'created' | 'taken'> {
    return this.change((sources) => (sources.some((s) => s.code === record.code) ? { result: 'taken' } : { result: 'created', next: [...sources, record] }));
  }

  replace(record: SourceRecord): Promise<'replaced' | 'missing'> {
    return this.change((sources) =>
      sources.some((s) => s.code === record.code) ? { result: 'replaced', next: sources.map((s) => (s.code === record.code ? record : s)) } : { result: 'missing' },
    );
  }

  remove(code: string): Promise<'removed' | 'missing'> {
    return this.change((sources) => (sources.some((s) => s.code === code) ? { result: 'removed', next: sources.filter((s) => s.code !== code) } : { result: 'missing' }));
  }

  /** One process owns the file: there are no other writers to hear from. */
  onChange(): void {}

  async ping(): Promise<boolean> {
    try {
      await this.read();
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
  }

  private change<R>(apply: (sources: readonly SourceRecord[]) => { result: R; next?: readonly SourceRecord[] }): Promise<R> {
    const run = this.queue.then(async () => {
      const { result, next } = apply((await this.read()).sources);
      if (next) await this.write({ version: 1, sources: next });
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async read(): Promise<RegistryFile> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, sources: [] };
      throw error;
    }
    const parsed = JSON.parse(text) as { version?: unknown; sources?: unknown };
    if (parsed.version !== 1 || !Array.isArray(parsed.sources)) throw new Error(`${this.path} is not a patient-graph source registry (version 1)`);
    return {
      version: 1,
      sources: parsed.sources.map((entry: unknown, index) => {
        const checked = parseSourceRecord(entry);
        if (checked.kind === 'invalid') throw new Error(`${this.path}: source ${index + 1}: ${checked.reason}`);
        return checked.record;
      }),
    };
  }

  private async write(content: RegistryFile): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${randomUUID()}.tmp`;
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(content, null, 2)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temporary, this.path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }
}
