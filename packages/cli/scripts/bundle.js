#!/usr/bin/env node
// Bundles the CLI with @oclif/core into dist/vsb.js and records a V8 code cache for it
// (dist/vsb.js.cache, made by one `vsb --help`), which bin/run.js loads: one file read instead of
// ~500 module look-ups, and no parsing or compiling of what the cache holds. vsb's own packages,
// tsyringe and reflect-metadata stay outside, so third-party plugins share their single copy.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.join(__dirname, '..');
const outfile = path.join(root, 'dist', 'vsb.js');

esbuild.buildSync({
  entryPoints: [path.join(root, 'dist', 'src', 'main.js')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // typescript: oclif's loader of .ts commands, never used by a built vsb.
  external: ['@vsb/*', 'tsyringe', 'reflect-metadata', 'typescript'],
  logLevel: 'warning',
});
fs.rmSync(`${outfile}.cache`, { force: true });
execFileSync(process.execPath, [path.join(root, 'bin', 'run.js'), '--help'], { env: { ...process.env, VSB_WRITE_CODE_CACHE: '1' }, stdio: 'ignore' });
if (!fs.existsSync(`${outfile}.cache`)) throw new Error('bundle: no code cache was written');
