#!/usr/bin/env -S node --
// vsb's entry point: runs a bundle of the CLI (see scripts/bundle.js) through V8's code cache made
// at build time, which takes `vsb --help` from ~3x to ~1.5x `node -e 0`. `vsb exec` and
// `vsb attach` get dist/vsb-exec.js, which has no oclif in it. `vsb run` (and the keeper
// of `vsb run --detach`, `vsb keeper`) gets dist/vsb-all.js (vsb's packages inside: its load
// ~1.8x -> ~1.1x `node -e 0`), unless third-party
// plugins are named in VSB_PLUGINS, which must share vsb's packages with the CLI; everything else
// (help) gets the smaller dist/vsb.js, which loads them as modules when it needs them.
// A cache V8 rejects (another Node version) only costs the compile time.
// `node --` in the shebang: Node 20 otherwise takes a `--env-file FILE` after the script for its own.
'use strict';
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const dist = path.join(__dirname, '..', 'dist');
// Installed or linked plugins (oclif's data dir) must share vsb's packages too: they get dist/vsb.js.
function hasInstalledPlugins() {
  const data = process.env.VSB_DATA_DIR || path.join(process.env.XDG_DATA_HOME || path.join(require('node:os').homedir(), '.local', 'share'), 'vsb');
  try {
    const plugins = JSON.parse(fs.readFileSync(path.join(data, 'package.json'), 'utf8')).oclif?.plugins;
    return Array.isArray(plugins) && plugins.length > 0;
  } catch {
    return false;
  }
}
// `vsb exec` and `vsb attach` run without oclif (dist/vsb-exec.js), unless help is asked for.
function wantsHelp(args) {
  for (const arg of args) {
    if (arg === '--help' || arg === '-h') return true;
    if (arg === '--' || !arg.startsWith('-')) return false;
  }
  return false;
}
const lean = (process.argv[2] === 'exec' || process.argv[2] === 'attach') && !wantsHelp(process.argv.slice(3));
const all = !lean && (process.argv[2] === 'run' || process.argv[2] === 'keeper') && !process.env.VSB_PLUGINS && !hasInstalledPlugins();
// VSB_BUNDLE: scripts/bundle.js making each bundle's cache.
const file = path.join(dist, process.env.VSB_BUNDLE || (lean ? 'vsb-exec.js' : all ? 'vsb-all.js' : 'vsb.js'));
const cacheFile = `${file}.cache`;
let cachedData;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {
  // no cache: compile from source
}
const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
const bundle = new Module(file, module);
bundle.filename = file;
bundle.paths = Module._nodeModulePaths(path.dirname(file));
// oclif's explicit command strategy requires dist/vsb.js for COMMANDS: it must get this instance.
if (!lean) Module._cache[path.join(dist, 'vsb.js')] = bundle;
script.runInThisContext().call(bundle.exports, bundle.exports, Module.createRequire(file), bundle, file, path.dirname(file));
bundle.loaded = true;
const done = bundle.exports.main();
if (process.env.VSB_WRITE_CODE_CACHE) {
  // After a run, so the functions it compiled lazily are in the cache too.
  done.then(() => fs.writeFileSync(cacheFile, script.createCachedData()));
}
// The lean commands resolve with the exit code; nothing they leave open is waited for.
if (lean) done.then((code) => process.exit(code));
