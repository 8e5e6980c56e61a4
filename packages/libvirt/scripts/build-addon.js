#!/usr/bin/env node
// Compiles the native addon with node-gyp, offline: npm's own node-gyp and the headers of the
// running Node (no download). Incremental: configures when binding.gyp changed, then `make`
// rebuilds only what changed (a no-op build takes a fraction of a second).
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const pkgDir = path.resolve(__dirname, '..');

/** npm's bundled node-gyp (npm sets npm_config_node_gyp for scripts), else any installed one. */
function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    process.env.npm_execpath && path.join(path.dirname(process.env.npm_execpath), '../node_modules/node-gyp/bin/node-gyp.js'),
    path.join(path.dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
  ];
  for (const c of candidates) if (c && fs.existsSync(c)) return c;
  return require.resolve('node-gyp/bin/node-gyp.js', { paths: [pkgDir] });
}

/** The headers installed with Node itself (Debian/NodeSource put them in <prefix>/include/node). */
function nodeDirArgs() {
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  return fs.existsSync(path.join(prefix, 'include/node/node_api.h')) ? [`--nodedir=${prefix}`] : [];
}

// `--lenient` (the npm install hook): a failed compile warns instead of failing the whole
// `npm install` of the monorepo; `npm run build` compiles strictly and reports the error.
const lenient = process.argv.includes('--lenient');

function run(args) {
  const r = spawnSync(process.execPath, [findNodeGyp(), ...args, '--loglevel=error', ...nodeDirArgs()], {
    cwd: pkgDir,
    stdio: ['ignore', 'ignore', 'inherit'], // compiler diagnostics and gyp errors go to stderr
  });
  if (r.status === 0) return;
  if (lenient) {
    console.warn('@vsb/libvirt: native addon not built (see above); `npm run build` retries it');
    process.exit(0);
  }
  process.exit(r.status ?? 1);
}

function mtime(file) {
  try {
    return fs.statSync(path.join(pkgDir, file)).mtimeMs;
  } catch {
    return -1;
  }
}

if (mtime('build/Makefile') < mtime('binding.gyp')) run(['configure']);
run(['build', '-j', '2']);
