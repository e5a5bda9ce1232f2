#!/usr/bin/env node
'use strict';
// `tsc` emits only JavaScript; the contracts (`contracts/<name>.graphql`) and the built-in
// HIS mappings (`demo/his/*.mapping.yaml`) are read at run time next to the compiled modules, so
// the build copies them into dist/. Last step of the build: it writes dist/.build-stamp, which
// tells bin/patient-graph.js the compiled code is as new as the sources.
const { cpSync, existsSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
for (const dir of ['contracts', 'subgraphs', 'adapters', 'demo']) {
  const from = join(root, dir);
  if (!existsSync(from)) continue;
  cpSync(from, join(root, 'dist', dir), {
    recursive: true,
    filter: (path) => statSync(path).isDirectory() || path.endsWith('.graphql') || path.endsWith('.mapping.yaml'),
  });
}
writeFileSync(join(root, 'dist', '.build-stamp'), `${new Date().toISOString()}\n`);
