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

/**
 * Resolves `PKG/lib/...` imports to the package's files, which its `exports` map hides
 * (src/autocomplete-commands.ts and src/plugin-commands.ts import the commands of oclif plugins that way).
 */
function packageFiles(pkg) {
  // The package's main export is lib/index.js: its root is two levels up.
  const dir = path.dirname(path.dirname(require.resolve(pkg, { paths: [root] })));
  return {
    name: `files-of-${pkg}`,
    setup(build) {
      const filter = new RegExp(`^${pkg.replace(/[/.]/g, '\\$&')}/`);
      build.onResolve({ filter }, (args) => ({ path: path.join(dir, args.path.slice(pkg.length + 1)) }));
    },
  };
}
const outfile = path.join(root, 'dist', 'vsb.js');

// build(), not buildSync(): only the asynchronous API takes plugins.
esbuild.build({
  entryPoints: [path.join(root, 'dist', 'src', 'main.js')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // typescript: oclif's loader of .ts commands, never used by a built vsb.
  external: ['@vsb/*', 'tsyringe', 'reflect-metadata', 'typescript'],
  plugins: [packageFiles('@oclif/plugin-autocomplete'), packageFiles('@oclif/plugin-plugins')],
  // @oclif/plugin-plugins finds its pinned npm through createRequire(import.meta.url), which a CJS
  // bundle lacks: the bundle's own URL resolves the same hoisted npm.
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: "var importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
}).then(() => {
  fs.rmSync(`${outfile}.cache`, { force: true });
  execFileSync(process.execPath, [path.join(root, 'bin', 'run.js'), '--help'], { env: { ...process.env, VSB_WRITE_CODE_CACHE: '1' }, stdio: 'ignore' });
  if (!fs.existsSync(`${outfile}.cache`)) throw new Error('bundle: no code cache was written');
}).catch((err) => {
  process.stderr.write(`bundle: ${err.stack || err}\n`);
  process.exitCode = 1;
});
