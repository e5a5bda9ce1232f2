#!/usr/bin/env node
'use strict';
// `npm start` (and `npm run start:built`) first builds dist/ when it is missing or older than the
// sources, so `npm ci && npm start` works from a fresh clone and later starts run compiled code.
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');
const { distIsFresh } = require('./distIsFresh');

const root = join(__dirname, '..');
if (!distIsFresh(root)) {
  process.stderr.write('patient-graph: compiling to dist/ (once, after a change to the sources)…\n');
  execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
}
