import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The data directories being created now, by absolute path. */
const creating = new Map<string, Promise<void>>();

/**
 * Creates a PGlite data directory (PostgreSQL's initdb) in a short-lived child process, when it
 * does not exist yet. initdb grows PGlite's WebAssembly memory to ~700 MB, and a WebAssembly memory
 * never shrinks: done in the server's own process, that would stay its resident size for good.
 * A child process returns all of it when it exits. Does nothing for an existing data directory.
 * Its parent folders are made first: PGlite creates only the last one (a fresh clone has no state
 * folder yet).
 */
export function createPgliteDataDir(dataDir: string): Promise<void> {
  // One initdb per data directory at a time: a caller may start it early (`patient-graph demo`
  // overlaps it with its start-up) while the store that opens the directory asks again.
  const key = resolve(dataDir);
  const running = creating.get(key);
  if (running) return running;
  const created = initdbOnce(dataDir).finally(() => creating.delete(key));
  creating.set(key, created);
  return created;
}

async function initdbOnce(dataDir: string): Promise<void> {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return;
  mkdirSync(dirname(dataDir), { recursive: true });
  const program = `
    const { PGlite } = require(process.argv[1]);
    const db = new PGlite(process.argv[2]);
    db.waitReady.then(() => db.close()).then(() => process.exit(0), (error) => {
      process.stderr.write(String(error && error.message));
      process.exit(1);
    });`;
  const child = spawn(process.execPath, ['-e', program, require.resolve('@electric-sql/pglite'), dataDir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`PGlite could not create its data directory ${dataDir}: ${stderr.trim() || `exit code ${code}`}`);
}
