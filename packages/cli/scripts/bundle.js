#!/usr/bin/env node
// Bundles the CLI with @oclif/core into dist/vsb.js and records a V8 code cache for it
// (dist/vsb.js.cache, made by one `vsb --help`), which bin/run.js loads: one file read instead of
// ~500 module look-ups, and no parsing or compiling of what the cache holds. In dist/vsb.js vsb's
// own packages, tsyringe and reflect-metadata stay outside, so third-party plugins (VSB_PLUGINS)
// share their single copy; dist/vsb-all.js has them inside too (and fast-xml-parser), for the
// usual run without such plugins, with a cache made by a `vsb run --dry-run`: the ~100 modules
// vsb run loads besides oclif cost it more than oclif itself. dist/vsb-exec.js holds only
// `vsb exec` and `vsb attach` (src/exec/lean-main.ts), no oclif: ~35 KB, bundled from vsb's
// TypeScript sources so esbuild can leave out what they do not use (vsb's modules have no side
// effects on import: registration is explicit), which it cannot do with the CommonJS of dist.
'use strict';
const { spawnSync } = require('node:child_process');
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
const cliMain = path.join(root, 'dist', 'src', 'main.js');
const bundles = [
  { file: 'vsb.js', entry: cliMain, external: ['@vsb/*', 'tsyringe', 'reflect-metadata'], warmup: ['--help'], env: { VSB_PLUGINS: '' } },
  { file: 'vsb-all.js', entry: cliMain, external: [], warmup: ['run', '--dry-run', '--', '/bin/true'], env: {} },
  // The warm-up names no sandbox (a one-line error): parsing and the look-up are in the cache.
  {
    file: 'vsb-exec.js',
    entry: path.join(root, 'src', 'exec', 'lean-main.ts'),
    external: [],
    warmup: ['exec', 'vsb-bundle-warm-up', '--', 'true'],
    env: {},
    sources: true,
  },
];

/** vsb's workspace packages, whose TypeScript sources the exec bundle is made of. */
const WORKSPACE = path.resolve(root, '..', '..');
const SOURCES = {
  '@vsb/core': 'packages/core',
  '@vsb/libvirt': 'packages/libvirt',
  '@vsb/stdio-protocol': 'packages/stdio-protocol',
  '@vsb/socket-rpc': 'plugins/socket-rpc',
};

/**
 * Resolves vsb's packages to their TypeScript sources and marks vsb's own files free of side
 * effects, so esbuild keeps only what the entry uses (a module-level call, such as a Symbol.for()
 * token, would otherwise keep a module, and the XML serializer it imports, in).
 */
function vsbSources() {
  const ours = new RegExp(`^${WORKSPACE.replace(/[/.]/g, '\\$&')}/(packages|plugins)/[^/]+/src/`);
  return {
    name: 'vsb-sources',
    setup(build) {
      build.onResolve({ filter: /^@vsb\/[a-z-]+$/ }, (args) => {
        const dir = SOURCES[args.path];
        return dir ? { path: path.join(WORKSPACE, dir, 'src', 'index.ts'), sideEffects: false } : undefined;
      });
      build.onResolve({ filter: /^\./ }, async (args) => {
        if (args.pluginData || !ours.test(args.importer)) return undefined;
        const resolved = await build.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, pluginData: true });
        return resolved.errors.length > 0 ? resolved : { ...resolved, sideEffects: false };
      });
    },
  };
}

async function main() {
  for (const b of bundles) {
    const outfile = path.join(root, 'dist', b.file);
    // build(), not buildSync(): only the asynchronous API takes plugins.
    await esbuild.build({
      entryPoints: [b.entry],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: [...always, ...b.external],
      plugins: b.sources ? [vsbSources()] : [packageFiles('@oclif/plugin-autocomplete'), packageFiles('@oclif/plugin-plugins')],
      ...(b.sources && { tsconfig: path.join(WORKSPACE, 'tsconfig.base.json') }),
      // @oclif/plugin-plugins finds its pinned npm through createRequire(import.meta.url), which a CJS
      // bundle lacks: the bundle's own URL resolves the same hoisted npm.
      define: { 'import.meta.url': 'importMetaUrl' },
      banner: { js: "var importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
      logLevel: 'warning',
    });
    fs.rmSync(`${outfile}.cache`, { force: true });
    // Its exit status is not looked at (the exec warm-up ends in an error on purpose): the cache is.
    spawnSync(process.execPath, [bin, ...b.warmup], { env: { ...process.env, ...b.env, VSB_BUNDLE: b.file, VSB_WRITE_CODE_CACHE: '1' }, stdio: 'ignore' });
    if (!fs.existsSync(`${outfile}.cache`)) throw new Error(`bundle: no code cache was written for ${b.file}`);
  }
}

main().catch((err) => {
  process.stderr.write(`bundle: ${err.stack || err}\n`);
  process.exitCode = 1;
});
