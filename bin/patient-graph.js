#!/usr/bin/env node
'use strict';
// Runs the TypeScript sources in a checkout (through tsx, no build step), or the compiled
// `dist/` of an installed package or container image that ships no sources.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const source = join(__dirname, '..', 'cli', 'main.ts');
if (existsSync(source)) {
  require('tsx/cjs/api').register();
  require(source).runCli(process.argv.slice(2));
} else {
  require(join(__dirname, '..', 'dist', 'cli', 'main.js')).runCli(process.argv.slice(2));
}
