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

const root = join(__dirname, '..');
const source = join(root, 'cli', 'main.ts');
if (existsSync(source) && !distIsFresh(root)) {
  // tsx must hook both require() and import() (commands load their modules with import()), which
  // only `node --import tsx` does: run the sources in a child and pass signals and the exit code on.
  const tsx = pathToFileURL(require.resolve('tsx', { paths: [root] })).href;
  const child = spawn(process.execPath, ['--import', tsx, source, ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    }
    else process.exitCode = code ?? 1;
  });
} else {
  require(join(root, 'dist', 'cli', 'main.js')).runCli(process.argv.slice(2));
}
