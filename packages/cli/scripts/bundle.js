#!/usr/bin/env node
// Bundles the CLI with @oclif/core into dist/vsb.js and records a V8 code cache for it
// (dist/vsb.js.cache, made by one `vsb --help`), which bin/run.js loads: one file read instead of
// ~500 module look-ups, and no parsing or compiling of what the cache holds. In dist/vsb.js vsb's
// own packages, tsyringe and reflect-metadata stay outside, so third-party plugins (VSB_PLUGINS)
// share their single copy; dist/vsb-all.js has them inside too (and fast-xml-parser), for the
// usual run without such plugins, with a cache made by a `vsb run --dry-run`: the ~100 modules
// vsb run loads besides oclif cost it more than oclif itself.
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
const bin = path.join(root, 'bin', 'run.js');
// typescript: oclif's loader of .ts commands, never used by a built vsb. The package.json files are
// found at run time (require.resolve) to locate the guest init and the native addon.
const always = ['typescript', '@vsb/guest-init/package.json', '@vsb/libvirt/package.json'];
const bundles = [
  { file: 'vsb.js', external: ['@vsb/*', 'tsyringe', 'reflect-metadata'], warmup: ['--help'], env: { VSB_PLUGINS: '' } },
  { file: 'vsb-all.js', external: [], warmup: ['run', '--dry-run', '--', '/bin/true'], env: {} },
];

async function main() {
  for (const b of bundles) {
    const outfile = path.join(root, 'dist', b.file);
    // build(), not buildSync(): only the asynchronous API takes plugins.
    await esbuild.build({
      entryPoints: [path.join(root, 'dist', 'src', 'main.js')],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: [...always, ...b.external],
      plugins: [packageFiles('@oclif/plugin-autocomplete'), packageFiles('@oclif/plugin-plugins')],
      // @oclif/plugin-plugins finds its pinned npm through createRequire(import.meta.url), which a CJS
      // bundle lacks: the bundle's own URL resolves the same hoisted npm.
      define: { 'import.meta.url': 'importMetaUrl' },
      banner: { js: "var importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
      logLevel: 'warning',
    });
    fs.rmSync(`${outfile}.cache`, { force: true });
    execFileSync(process.execPath, [bin, ...b.warmup], { env: { ...process.env, ...b.env, VSB_BUNDLE: b.file, VSB_WRITE_CODE_CACHE: '1' }, stdio: 'ignore' });
    if (!fs.existsSync(`${outfile}.cache`)) throw new Error(`bundle: no code cache was written for ${b.file}`);
  }
}

main().catch((err) => {
  process.stderr.write(`bundle: ${err.stack || err}\n`);
  process.exitCode = 1;
});
