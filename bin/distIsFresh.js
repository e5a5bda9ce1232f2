'use strict';
// Whether dist/ (from `npm run build`) is at least as new as every source it was built from, so
// the `patient-graph` binary can run compiled JavaScript (fast start) without ever running code
// older than the checkout. Plain JavaScript: it runs before anything is compiled.
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const SOURCE_DIRS = ['core', 'contracts', 'subgraphs', 'adapters', 'gateway', 'cli', 'demo', 'bench'];
const SOURCE_FILE = /\.(ts|tsx|graphql|mapping\.yaml|css)$/;
const STAMP = join('dist', '.build-stamp');

function newestSourceMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMtime(path));
    else if (SOURCE_FILE.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** True when dist/ was built after the last change to any source file (or there are no sources). */
function distIsFresh(root) {
  const stamp = join(root, STAMP);
  if (!existsSync(stamp)) return false;
  const builtAt = statSync(stamp).mtimeMs;
  for (const dir of SOURCE_DIRS) {
    const path = join(root, dir);
    if (existsSync(path) && newestSourceMtime(path) > builtAt) return false;
  }
  for (const file of ['package.json', 'tsconfig.json', 'tsconfig.build.json']) {
    const path = join(root, file);
    if (existsSync(path) && statSync(path).mtimeMs > builtAt) return false;
  }
  return true;
}

module.exports = { distIsFresh, STAMP };
