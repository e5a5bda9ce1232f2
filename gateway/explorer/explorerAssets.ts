import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** One static file of the explorer: its body and content type. */
export interface ExplorerAsset {
  readonly body: Buffer;
  readonly contentType: string;
}

/**
 * The npm builds the explorer page loads, served by the gateway itself (no CDN: hospital networks
 * often cannot reach one): React 18 and GraphiQL 3's browser bundle, which expects React and
 * ReactDOM as globals, and GraphiQL's stylesheet (fonts embedded as data URLs).
 */
const NPM_FILES: Readonly<Record<string, { readonly pkg: string; readonly file: string; readonly contentType: string }>> = {
  'react.js': { pkg: 'react', file: 'umd/react.production.min.js', contentType: 'text/javascript; charset=utf-8' },
  'react-dom.js': { pkg: 'react-dom', file: 'umd/react-dom.production.min.js', contentType: 'text/javascript; charset=utf-8' },
  'graphiql.js': { pkg: 'graphiql', file: 'graphiql.min.js', contentType: 'text/javascript; charset=utf-8' },
  'graphiql.css': { pkg: 'graphiql', file: 'graphiql.min.css', contentType: 'text/css; charset=utf-8' },
};

const cache = new Map<string, ExplorerAsset>();

/** The npm file named `name` under /explorer/, read once; undefined for any other name. */
export function npmExplorerAsset(name: string): ExplorerAsset | undefined {
  if (!Object.hasOwn(NPM_FILES, name)) return undefined;
  const file = NPM_FILES[name];
  if (!file) return undefined;
  const cached = cache.get(name);
  if (cached) return cached;
  const asset = { body: readFileSync(join(packageRoot(file.pkg), file.file)), contentType: file.contentType };
  cache.set(name, asset);
  return asset;
}

/** The names of the npm files, in the order the page loads them. */
export const NPM_EXPLORER_SCRIPTS = ['react.js', 'react-dom.js', 'graphiql.js'] as const;

/** The folder of an installed package (its `exports` hide the browser builds from require.resolve). */
function packageRoot(pkg: string): string {
  for (let dir = dirname(require.resolve(pkg)); dirname(dir) !== dir; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === pkg) return dir;
  }
  throw new Error(`the ${pkg} package is not installed`);
}
