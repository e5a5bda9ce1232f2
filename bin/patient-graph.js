#!/usr/bin/env node
'use strict';
// Runs the compiled dist/ (fast start) when it is built and not older than the sources. In a
// checkout with newer sources it runs them through tsx instead (development), so the binary never
// runs stale code; an installed package or container image ships dist/ only.
const { spawn } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');
const { distIsFresh } = require('./distIsFresh');
const { lowMemoryEnvironment } = require('./lowMemoryEnvironment');

const root = join(__dirname, '..');
const source = join(root, 'cli', 'main.ts');
const args = process.argv.slice(2);
const tuned = lowMemoryEnvironment(args, process.env);
if (existsSync(source) && !distIsFresh(root)) {
  // tsx must hook both require() and import() (commands load their modules with import()), which
  // only `node --import tsx` does: run the sources in a child.
  const tsx = pathToFileURL(require.resolve('tsx', { paths: [root] })).href;
  runInChild(['--import', tsx, source, ...args], tuned ?? process.env);
} else if (tuned) {
  // Settings read at process start-up (bin/lowMemoryEnvironment.js): this binary again, with them.
  runInChild([__filename, ...args], tuned);
} else {
  require(join(root, 'dist', 'cli', 'main.js')).runCli(args);
}

/** Runs node with `nodeArgs` in a child, passing signals on and its exit code (or signal) back. */
function runInChild(nodeArgs, env) {
  const child = spawn(process.execPath, nodeArgs, { stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    }
    else process.exitCode = code ?? 1;
  });
}
