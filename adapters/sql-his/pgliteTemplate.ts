import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * initdb on a worker of its own, then the fresh data directory dumped as a gzipped tarball. The
 * worker exits afterwards, and with it the ~450 MB of WASM memory initdb leaves behind: a PGlite
 * started with `initdb` holds ~640 MB, one loaded from this tarball ~260 MB (bench/RESULTS.md).
 */
const TEMPLATE_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require(workerData.modulePath);
(async () => {
  const db = new PGlite('memory://');
  await db.waitReady;
  const file = await db.dumpDataDir('gzip');
  const bytes = new Uint8Array(await file.arrayBuffer());
  await db.close();
  parentPort.postMessage(bytes, [bytes.buffer]);
})().catch((error) => parentPort.postMessage({ error: String(error && error.message) }));
`;

const templates = new Map<string, Promise<Uint8Array>>();

/**
 * The data directory of a freshly initialized PGlite, as a gzipped tarball for its `loadDataDir`
 * option: made once per process (initdb takes 5–10 s), and, given `cacheDir`, kept there under the
 * PGlite version so later starts skip initdb altogether. The tarball holds only what initdb writes
 * (system catalogs, no data); a cache file is replaced atomically, so a crash never leaves half of one.
 */
export function pgliteTemplate(cacheDir?: string): Promise<Uint8Array> {
  const key = cacheDir ?? '';
  let template = templates.get(key);
  if (!template) {
    template = (cacheDir ? cachedTemplate(cacheDir) : makeTemplate());
    templates.set(key, template);
    template.catch(() => templates.delete(key));
  }
  return template;
}

async function cachedTemplate(cacheDir: string): Promise<Uint8Array> {
  const file = join(cacheDir, `pglite-${pgliteVersion()}-template.tar.gz`);
  try {
    return new Uint8Array(readFileSync(file));
  } catch {
    // not made yet
  }
  const template = await (templates.get('') ?? makeTemplate());
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, template, { mode: 0o600 });
  renameSync(partial, file);
  return template;
}

function makeTemplate(): Promise<Uint8Array> {
  const made = new Promise<Uint8Array>((resolve, reject) => {
    const worker = new Worker(TEMPLATE_WORKER_SOURCE, { eval: true, workerData: { modulePath: require.resolve('@electric-sql/pglite') } });
    worker.once('message', (message: Uint8Array | { error: string }) => {
      void worker.terminate();
      if (message instanceof Uint8Array) resolve(message);
      else reject(new Error(`PGlite could not initialize a database: ${message.error}`));
    });
    worker.once('error', reject);
    worker.once('exit', () => reject(new Error('the PGlite initdb worker stopped before it answered')));
  });
  templates.set('', made);
  made.catch(() => templates.delete(''));
  return made;
}

function pgliteVersion(): string {
  const manifest = join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}
